/* hugo_shortcodes.c — the hugo-shortcodes filter: Hugo's {{< name args >}} and {{% name args %}},
 * wherever the reader left them (text split over several inlines, raw HTML inlines and blocks),
 * become images, figures and links. It never touches code, and text that does not parse as a
 * shortcode stays as it was. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"

#define NONE SIZE_MAX

/* One argument: offsets of NUL-terminated strings in the shortcode's store. */
typedef struct arg {
    size_t key; /* NONE for a positional argument */
    size_t val;
} arg;

/* The parse of one shortcode, reused from one to the next. */
typedef struct sc {
    size_t name;
    bool closing;          /* {{< /name >}} */
    bool comment;          /* written with comment marks inside the braces, which is Hugo's
                              way of showing a shortcode as text */
    size_t co, cc;         /* where the comment marks are, from the start of the inside */
    arg *args;
    size_t nargs, cap;
    nc_buf store;
} sc;

/* A piece of a run: one inline of the container; non-text inlines stand as one NUL byte, which
 * no shortcode may contain, so that formatting inside a shortcode is never torn apart. */
typedef struct seg {
    nc_node *n;
    size_t start;
    bool cut; /* its text was shortened: it gets a copy of its own, NUL-terminated, at the end */
} seg;

/* A shortcode found in a run, with what replaces it. */
typedef struct match {
    size_t a, b;   /* the bytes it takes in the run's text */
    size_t lb;     /* ref in "[text](...)": where '[' is, else NONE */
    nc_node *inl;  /* the inline that replaces it */
    nc_node *cap;  /* a figure's caption (may be NULL) */
    nc_pos pos;    /* of a */
    nc_pos bpos;   /* of the text after it: b, or b + 1 after a ref's ')' */
    nc_pos lbpos;  /* of the text after a ref's '[' */
    bool figure;   /* may stand as a block figure */
} match;

typedef struct ctx {
    nc_doc *doc;
    nc_diag *diag;
    nc_buf text;   /* the run's text */
    seg *segs;
    size_t nsegs, capsegs;
    match *ms;
    size_t nms, capms;
    nc_node *raw;  /* the raw block being read, or NULL for a run of inlines */
    bool in_link;  /* the run is inside a link: no links may be made in it */
    sc s;
    nc_buf tmp;
    /* the last position asked for: asked in increasing order, positions cost linear time */
    const nc_node *pos_node;
    size_t pos_off;
    nc_pos pos;
    size_t nwarn;
} ctx;

/* Past this many, a document's shortcode warnings are summed up in one. */
#define MAX_WARNINGS 100

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool is_quote(char ch)
{
    return ch == '"' || ch == '\'' || ch == '`';
}

static bool all_ws(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_ws(s[i]))
            return false;
    return true;
}

static bool is_html(const char *format)
{
    return format && (strcmp(format, "html") == 0 || strcmp(format, "html5") == 0);
}

/* An autolink of the GFM extension: cmark-gfm makes one of the URL in src="https://..." */
static bool is_autolink(const nc_node *n)
{
    if (n->kind != NC_LINK || !n->url || !n->first || n->first != n->last ||
        n->first->kind != NC_STR || !n->first->text || (n->title && *n->title) || n->attr)
        return false;
    const char *t = n->first->text, *u = n->url;
    return strcmp(u, t) == 0 || (strncmp(u, "http://", 7) == 0 && strcmp(u + 7, t) == 0) ||
           (strncmp(u, "mailto:", 7) == 0 && strcmp(u + 7, t) == 0);
}

/* The text an inline stands for in a run, or NULL when it is not text. An HTML comment is not:
 * a shortcode commented out is meant to stay hidden. */
static const char *node_text(const nc_node *n, size_t *len)
{
    switch (n->kind) {
    case NC_STR:
        *len = n->len;
        return n->text ? n->text : "";
    case NC_RAW_INLINE:
        if (!is_html(n->format) || !n->text || strncmp(n->text, "<!--", 4) == 0)
            return NULL;
        *len = n->len;
        return n->text;
    case NC_SPACE:
        *len = 1;
        return " ";
    case NC_SOFT_BREAK:
    case NC_LINE_BREAK:
        *len = 1;
        return "\n";
    case NC_LINK:
        if (!is_autolink(n))
            return NULL;
        *len = n->first->len;
        return n->first->text;
    default:
        return NULL;
    }
}

/* The position of byte `to` of a node's text t, from p, that of byte `from`. Columns count bytes
 * of the text, which match the source's unless an entity or a backslash escape came earlier in
 * the same Str. */
static nc_pos advance(nc_pos p, const char *t, size_t from, size_t to)
{
    if (!p.line)
        return p;
    for (size_t i = from; i < to; i++) {
        if (t[i] == '\n') {
            p.line++;
            p.col = 1;
        } else if (p.col) {
            p.col++;
        }
    }
    return p;
}

static size_t seg_at(const ctx *c, size_t off)
{
    size_t lo = 0, hi = c->nsegs;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->segs[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The position of byte off of the run (or raw block). */
static nc_pos pos_of(ctx *c, size_t off)
{
    const nc_node *n = c->raw;
    const char *t = n ? n->text : NULL;
    size_t len, start = 0;
    if (!n) {
        const seg *g = &c->segs[seg_at(c, off)];
        n = g->n;
        start = g->start;
        t = node_text(n, &len);
        if (!t)
            return n->pos;
    }
    off -= start;
    if (c->pos_node != n || c->pos_off > off) {
        c->pos_node = n;
        c->pos_off = 0;
        c->pos = n->pos;
    }
    c->pos = advance(c->pos, t, c->pos_off, off);
    c->pos_off = off;
    return c->pos;
}

static void warn(ctx *c, const nc_pos *pos, const char *fmt, ...) NC_PRINTF(3, 4);

static void warn(ctx *c, const nc_pos *pos, const char *fmt, ...)
{
    if (++c->nwarn > MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(c->diag, NC_DIAG_WARNING, pos, fmt, ap);
    va_end(ap);
}

/* ---- finding and parsing ------------------------------------------------------------------ */

enum { FOUND, NOT_FOUND, UNTERMINATED, INTERRUPTED };

/* The next shortcode at or after from: [*a, *b) on FOUND. UNTERMINATED: no end before the
 * text's; INTERRUPTED: another "{{<" starts at *b first. Quotes are honoured where Hugo's
 * lexer opens them, at the start of a value. In raw HTML, comments are skipped. */
static int find(const char *s, size_t len, size_t from, bool html, size_t *a, size_t *b)
{
    size_t p = from;
    for (;; p++) {
        if (p + 3 > len)
            return NOT_FOUND;
        if (html && s[p] == '<' && p + 4 <= len && memcmp(s + p, "<!--", 4) == 0) {
            const char *e = NULL;
            for (size_t k = p + 4; k + 3 <= len && !e; k++)
                if (memcmp(s + k, "-->", 3) == 0)
                    e = s + k;
            if (!e)
                return NOT_FOUND;
            p = (size_t)(e - s) + 2;
            continue;
        }
        if (s[p] == '{' && s[p + 1] == '{' && (s[p + 2] == '<' || s[p + 2] == '%'))
            break;
    }
    *a = p;
    char q = 0, prev = ' ';
    for (p += 3; p < len; p++) {
        char ch = s[p];
        if (q) {
            if (ch == '\\' && q != '`')
                p++;
            else if (ch == q)
                q = 0, prev = ch;
            continue;
        }
        if (is_quote(ch) && (is_ws(prev) || prev == '=')) {
            q = ch;
            continue;
        }
        if (ch == '}' && p + 1 < len && s[p + 1] == '}' && p - 1 >= *a + 3 &&
            (s[p - 1] == '>' || s[p - 1] == '%')) {
            *b = p + 2;
            return FOUND;
        }
        if (ch == '{' && p + 2 < len && s[p + 1] == '{' && (s[p + 2] == '<' || s[p + 2] == '%')) {
            *b = p;
            return INTERRUPTED;
        }
        prev = ch;
    }
    return UNTERMINATED;
}

static size_t put(sc *s, const char *t, size_t len)
{
    size_t off = s->store.len;
    nc_buf_put(&s->store, t, len);
    nc_buf_putc(&s->store, '\0');
    return off;
}

static void push_arg(sc *s, size_t key, size_t val)
{
    if (s->nargs == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->args = nc_xrealloc(s->args, s->cap * sizeof *s->args);
    }
    s->args[s->nargs++] = (arg){key, val};
}

/* A quoted value at *p: "..." and '...' take backslash escapes, `...` is raw, as in Hugo. */
static bool quoted(sc *s, const char *t, size_t end, size_t *p, size_t *val)
{
    char q = t[*p];
    *val = s->store.len;
    for (size_t i = *p + 1; i < end; i++) {
        if (t[i] == '\\' && q != '`' && i + 1 < end && (t[i + 1] == q || t[i + 1] == '\\')) {
            nc_buf_putc(&s->store, t[++i]);
        } else if (t[i] == q) {
            nc_buf_putc(&s->store, '\0');
            *p = i + 1;
            return true;
        } else {
            nc_buf_putc(&s->store, t[i]);
        }
    }
    return false;
}

static bool name_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch >= 0x80;
}

/* Parses the inside of a shortcode, between "{{<" and ">}}": NULL, or what is wrong. */
static const char *parse(sc *s, const char *t, size_t len)
{
    nc_buf_clear(&s->store);
    s->nargs = 0;
    s->closing = s->comment = false;
    size_t p = 0, end = len;
    while (p < end && is_ws(t[p]))
        p++;
    if (p + 1 < end && t[p] == '/' && t[p + 1] == '*') {
        size_t e = end;
        while (e > p && is_ws(t[e - 1]))
            e--;
        if (e < p + 4 || t[e - 2] != '*' || t[e - 1] != '/')
            return "a comment mark that is not closed";
        s->comment = true;
        s->co = p;
        s->cc = e - 2;
        p += 2;
        end = e - 2;
        while (p < end && is_ws(t[p]))
            p++;
    }
    if (p < end && t[p] == '/') {
        s->closing = true;
        p++;
    }
    size_t n0 = p;
    while (p < end && name_char((unsigned char)t[p]) && !(t[p] == '/' && p + 1 == end))
        p++;
    if (p == n0)
        return "no name";
    if (p < end && !is_ws(t[p]) && t[p] != '/')
        return "a character that no name may hold";
    s->name = put(s, t + n0, p - n0);
    for (;;) {
        while (p < end && is_ws(t[p]))
            p++;
        if (p >= end)
            break;
        if (t[p] == '/' && all_ws(t + p + 1, end - p - 1))
            break; /* self-closing: {{< name />}} */
        if (s->closing)
            return "arguments on a closing shortcode";
        size_t key = NONE, val;
        if (is_quote(t[p])) {
            if (!quoted(s, t, end, &p, &val))
                return "a quote that is not closed";
        } else {
            size_t w0 = p;
            while (p < end && !is_ws(t[p]) && t[p] != '=')
                p++;
            size_t q = p;
            while (q < end && is_ws(t[q]))
                q++;
            if (q < end && t[q] == '=') {
                if (p == w0)
                    return "'=' with no name before it";
                key = put(s, t + w0, p - w0);
                for (p = q + 1; p < end && is_ws(t[p]);)
                    p++;
                if (p >= end)
                    return "a name= with no value";
                if (is_quote(t[p])) {
                    if (!quoted(s, t, end, &p, &val))
                        return "a quote that is not closed";
                } else {
                    size_t v0 = p;
                    while (p < end && !is_ws(t[p]))
                        p++;
                    val = put(s, t + v0, p - v0);
                }
            } else {
                val = put(s, t + w0, p - w0);
            }
        }
        push_arg(s, key, val);
    }
    return NULL;
}

static const char *sc_name(const sc *s)
{
    return s->store.ptr + s->name;
}

static bool same_key(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* A named argument that is set and not empty (Hugo's templates test them with `with`). */
static const char *get(const sc *s, const char *key)
{
    for (size_t i = 0; i < s->nargs; i++)
        if (s->args[i].key != NONE && same_key(s->store.ptr + s->args[i].key, key)) {
            const char *v = s->store.ptr + s->args[i].val;
            return *v ? v : NULL;
        }
    return NULL;
}

static const char *positional(const sc *s, size_t k)
{
    for (size_t i = 0; i < s->nargs; i++)
        if (s->args[i].key == NONE && k-- == 0)
            return *(s->store.ptr + s->args[i].val) ? s->store.ptr + s->args[i].val : NULL;
    return NULL;
}

/* ---- what shortcodes become --------------------------------------------------------------- */

/* A Str of len bytes of t, newlines turned to spaces (a Str holds one line). */
static nc_node *str(ctx *c, const nc_pos *pos, const char *t, size_t len)
{
    nc_node *n = nc_node_new(c->doc, NC_STR, pos);
    char *w = nc_doc_alloc(c->doc, len + 1);
    for (size_t i = 0; i < len; i++)
        w[i] = t[i] == '\n' || t[i] == '\r' ? ' ' : t[i];
    w[len] = '\0';
    n->text = w;
    n->len = len;
    return n;
}

static nc_node *strz(ctx *c, const nc_pos *pos, const char *t)
{
    return str(c, pos, t, strlen(t));
}

/* A link to url with text, or only the text where a link may not go (inside another). */
static nc_node *link_to(ctx *c, const nc_pos *pos, const char *url, const char *text)
{
    nc_node *t = strz(c, pos, text);
    if (c->in_link)
        return t;
    nc_node *l = nc_node_new(c->doc, NC_LINK, pos);
    l->url = nc_doc_strdup(c->doc, url);
    nc_node_append(l, t);
    return l;
}

static void add_classes(ctx *c, nc_node *n, const char *list)
{
    for (const char *p = list; *p;) {
        while (is_ws(*p))
            p++;
        size_t k = 0;
        while (p[k] && !is_ws(p[k]))
            k++;
        if (k) {
            nc_buf_clear(&c->tmp);
            nc_buf_put(&c->tmp, p, k);
            nc_node_add_class(c->doc, n, nc_buf_cstr(&c->tmp));
        }
        p += k;
    }
}

/* Hugo's figure: the image (in a link with link=), and the caption a block figure would have:
 * the title, then caption and attribution. */
static nc_node *figure(ctx *c, const nc_pos *pos, nc_node **cap)
{
    const sc *s = &c->s;
    const char *src = get(s, "src"), *title = get(s, "title"), *caption = get(s, "caption");
    const char *alt = get(s, "alt"), *attr = get(s, "attr"), *attrlink = get(s, "attrlink");
    if (!src)
        return NULL;
    nc_node *img = nc_node_new(c->doc, NC_IMAGE, pos);
    img->url = nc_doc_strdup(c->doc, src);
    if (title)
        img->title = nc_doc_strdup(c->doc, title);
    const char *alt_text = alt ? alt : caption ? caption : title;
    if (alt_text)
        nc_node_append(img, strz(c, pos, alt_text));
    if (get(s, "class"))
        add_classes(c, img, get(s, "class"));
    static const char *const kv[] = {"width", "height", "loading"};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        if (get(s, kv[i]))
            nc_node_set_kv(c->doc, img, kv[i], get(s, kv[i]));
    nc_node *out = img;
    if (get(s, "link") && !c->in_link) {
        out = nc_node_new(c->doc, NC_LINK, pos);
        out->url = nc_doc_strdup(c->doc, get(s, "link"));
        if (get(s, "target"))
            nc_node_set_kv(c->doc, out, "target", get(s, "target"));
        if (get(s, "rel"))
            nc_node_set_kv(c->doc, out, "rel", get(s, "rel"));
        nc_node_append(out, img);
    }
    /* Hugo's template sets the title above the caption and its credit: a line break here */
    *cap = NULL;
    if (!title && !caption && !attr)
        return out;
    *cap = nc_node_new(c->doc, NC_CAPTION, pos);
    nc_node *p = nc_node_new(c->doc, NC_PLAIN, pos);
    nc_node_append(*cap, p);
    if (title)
        nc_node_append(p, strz(c, pos, title));
    if (title && (caption || attr))
        nc_node_append(p, nc_node_new(c->doc, NC_LINE_BREAK, pos));
    if (caption)
        nc_node_append(p, strz(c, pos, caption));
    if (caption && attr)
        nc_node_append(p, nc_node_new(c->doc, NC_SPACE, pos));
    if (attr) {
        nc_node *a = strz(c, pos, attr);
        if (attrlink) {
            nc_node *l = nc_node_new(c->doc, NC_LINK, pos);
            l->url = nc_doc_strdup(c->doc, attrlink);
            nc_node_append(l, a);
            a = l;
        }
        nc_node_append(p, a);
    }
    return out;
}

/* x and tweet: a link to the post on x.com (twitter.com sends there too). */
static nc_node *post(ctx *c, const nc_pos *pos, bool tweet)
{
    const char *user = get(&c->s, "user"), *id = get(&c->s, "id");
    if (!id && tweet)
        id = positional(&c->s, 0); /* Hugo before 0.89: {{< tweet ID >}} */
    if (!id)
        return NULL;
    nc_buf url = NC_BUF_INIT, text = NC_BUF_INIT;
    if (user) {
        nc_buf_printf(&url, "https://x.com/%s/status/%s", user, id);
        nc_buf_printf(&text, "Post by @%s", user);
    } else {
        nc_buf_printf(&url, "https://x.com/i/status/%s", id);
        nc_buf_puts(&text, "Post on X");
    }
    nc_node *n = link_to(c, pos, nc_buf_cstr(&url), nc_buf_cstr(&text));
    nc_buf_free(&url);
    nc_buf_free(&text);
    return n;
}

static nc_node *youtube(ctx *c, const nc_pos *pos)
{
    const char *id = get(&c->s, "id");
    if (!id)
        id = positional(&c->s, 0);
    if (!id)
        return NULL;
    nc_buf url = NC_BUF_INIT, text = NC_BUF_INIT;
    nc_buf_printf(&url, "https://www.youtube.com/watch?v=%s", id);
    if (get(&c->s, "title"))
        nc_buf_puts(&text, get(&c->s, "title"));
    else
        nc_buf_printf(&text, "YouTube: %s", id);
    nc_node *n = link_to(c, pos, nc_buf_cstr(&url), nc_buf_cstr(&text));
    nc_buf_free(&url);
    nc_buf_free(&text);
    return n;
}

/* ref and relref give a URL; the link-rewrite filter later maps .md paths to outputs. */
static const char *ref_path(const sc *s)
{
    const char *path = positional(s, 0);
    return path ? path : get(s, "path");
}

static bool is_ref(const char *name)
{
    return strcmp(name, "ref") == 0 || strcmp(name, "relref") == 0;
}

static bool known(const char *name)
{
    return strcmp(name, "figure") == 0 || strcmp(name, "x") == 0 ||
           strcmp(name, "tweet") == 0 || strcmp(name, "youtube") == 0 || is_ref(name);
}

/* Does bytes [a, b) of the run take raw HTML or a link, which text kept as it is would not
 * show as written? */
static bool covers_markup(const ctx *c, size_t a, size_t b)
{
    if (c->raw)
        return true;
    for (size_t i = seg_at(c, a); i < c->nsegs && c->segs[i].start < b; i++)
        if (c->segs[i].n->kind == NC_RAW_INLINE || c->segs[i].n->kind == NC_LINK)
            return true;
    return false;
}

static void push_match(ctx *c, const match *m)
{
    if (c->nms == c->capms) {
        c->capms = c->capms ? c->capms * 2 : 8;
        c->ms = nc_xrealloc(c->ms, c->capms * sizeof *c->ms);
    }
    c->ms[c->nms++] = *m;
}

/* ref written as a Markdown link's target, "[text]({{< ref "x.md" >}})", which cmark-gfm
 * leaves as text because of the spaces: where its '[' is, or NONE. */
static size_t bracket(const ctx *c, size_t a, size_t b, size_t floor)
{
    const char *t = c->text.ptr;
    if (c->raw || c->in_link || b >= c->text.len || t[b] != ')' || a < floor + 3 ||
        t[a - 1] != '(' || t[a - 2] != ']')
        return NONE;
    for (size_t k = a - 2; k-- > floor;) {
        if (t[k] == '[')
            return k + 1 < a - 2 ? k : NONE;
        if (t[k] == ']')
            return NONE;
    }
    return NONE;
}

/* Finds the shortcodes of the current text (a run of inlines, or a raw block's text), warns
 * about those it leaves, and lists what replaces the others. */
static void collect(ctx *c, const char *t, size_t len)
{
    c->nms = 0;
    size_t from = 0, a = 0, b = 0;
    for (;;) {
        /* a ref's '[' is looked for after the shortcodes before it, so that positions are
           asked for in increasing order */
        size_t floor = from;
        int r = find(t, len, from, c->raw != NULL, &a, &b);
        if (r == NOT_FOUND)
            return;
        size_t lb = r == FOUND ? bracket(c, a, b, floor) : NONE;
        nc_pos lbpos = lb != NONE ? pos_of(c, lb + 1) : (nc_pos){NULL, 0, 0};
        nc_pos pos = pos_of(c, a);
        char open = t[a + 2], close = open == '<' ? '>' : '%';
        if (r == UNTERMINATED) {
            warn(c, &pos,
                 "unterminated Hugo shortcode: '{{%c' without '%c}}'; left as text",
                 open, close);
            return;
        }
        from = b;
        if (r == INTERRUPTED) {
            warn(c, &pos,
                 "Hugo shortcode '{{%c' not closed before the next one; left as text",
                 open);
            continue;
        }
        if (memchr(t + a, '\0', b - a)) {
            warn(c, &pos,
                 "Hugo shortcode broken up by Markdown formatting (emphasis, code, "
                 "a link...); left as text");
            continue;
        }
        if (t[b - 3] != close) {
            warn(c, &pos,
                 "Hugo shortcode opened with '{{%c' but closed with '%c}}'; left as "
                 "text", open, t[b - 3]);
            continue;
        }
        const char *why = parse(&c->s, t + a + 3, b - 3 - (a + 3));
        if (why) {
            warn(c, &pos, "malformed Hugo shortcode (%s); left as text", why);
            continue;
        }
        const char *name = sc_name(&c->s);
        match m = {a, b, NONE, NULL, NULL, pos, pos, lbpos, false};
        if (c->s.comment) {
            /* shown as the shortcode it would be, without the comment marks */
            size_t co = a + 3 + c->s.co, cc = a + 3 + c->s.cc;
            nc_buf_clear(&c->tmp);
            nc_buf_put(&c->tmp, t + a, co - a);
            nc_buf_put(&c->tmp, t + co + 2, cc - co - 2);
            nc_buf_put(&c->tmp, t + cc + 2, b - cc - 2);
            m.inl = str(c, &pos, c->tmp.ptr, c->tmp.len);
        } else if (c->s.closing || !known(name)) {
            if (!c->s.closing)
                warn(c, &pos, "unknown Hugo shortcode '%s' kept as text", name);
            else if (known(name))
                warn(c, &pos,
                     "closing Hugo shortcode '/%s', but '%s' takes no content; kept "
                     "as text", name, name);
            if (covers_markup(c, a, b))
                m.inl = str(c, &pos, t + a, b - a);
        } else if (strcmp(name, "figure") == 0) {
            m.inl = figure(c, &pos, &m.cap);
            m.figure = true;
            why = "src";
        } else if (strcmp(name, "x") == 0 || strcmp(name, "tweet") == 0) {
            m.inl = post(c, &pos, name[0] == 't');
            why = "id";
        } else if (strcmp(name, "youtube") == 0) {
            m.inl = youtube(c, &pos);
            why = "an id";
        } else {
            const char *path = ref_path(&c->s);
            why = "a path";
            if (path && lb != NONE) {
                /* its text is what the brackets hold, moved in when it goes in */
                m.lb = lb;
                m.inl = nc_node_new(c->doc, NC_LINK, &pos);
                m.inl->url = nc_doc_strdup(c->doc, path);
            } else if (path) {
                m.inl = link_to(c, &pos, path, path);
            }
        }
        if (!m.inl) {
            if (why)
                warn(c, &pos, "Hugo shortcode '%s' without %s; left as text", name, why);
            continue;
        }
        m.bpos = pos_of(c, m.lb != NONE ? b + 1 : b);
        push_match(c, &m);
    }
}

/* ---- putting the replacements in ---------------------------------------------------------- */

/* A node for bytes [off, off+len) of n's text t: raw HTML stays raw HTML, the rest is a Str. */
static nc_node *piece(ctx *c, const nc_node *n, const nc_pos *p, const char *t, size_t off,
                      size_t len)
{
    if (n->kind == NC_RAW_INLINE) {
        nc_node *r = nc_node_new(c->doc, NC_RAW_INLINE, p);
        r->format = n->format;
        nc_node_set_text(c->doc, r, t + off, len);
        return r;
    }
    return str(c, p, t + off, len);
}

/* Replaces bytes [a, b) of the run with r: the inlines they cover go, those they cut keep
 * their part outside (the one after b at bpos). Matches go in from the last, so a node cut
 * here has lost no text before b, and the offsets of the run still hold for it. */
static void splice(ctx *c, size_t a, size_t b, const nc_pos *bpos, nc_node *r)
{
    size_t i = seg_at(c, a), j = seg_at(c, b - 1), len;
    nc_node *ni = c->segs[i].n, *nj = c->segs[j].n;
    const char *t = node_text(nj, &len);
    size_t off = b - c->segs[j].start;
    nc_node_insert_after(nj, r);
    if (off < len)
        nc_node_insert_after(r, piece(c, nj, bpos, t, off, len - off));
    for (size_t k = i + 1; k <= j; k++)
        nc_node_unlink(c->segs[k].n);
    off = a - c->segs[i].start;
    if (off == 0) {
        nc_node_unlink(ni);
    } else if (ni->kind == NC_STR || ni->kind == NC_RAW_INLINE) {
        /* copied once when the run is done: a Str holding many shortcodes is cut many times */
        ni->len = off;
        c->segs[i].cut = true;
    } else {
        /* an autolink cut in two: its first part stays as text */
        t = node_text(ni, &len);
        nc_node *p = piece(c, ni, &ni->pos, t, 0, off);
        nc_node_insert_before(ni, p);
        nc_node_unlink(ni);
        c->segs[i].n = p;
    }
}

/* May a paragraph here become a figure? Not in table cells, headings or captions. */
static bool figure_place(const nc_node *n)
{
    if (n->kind != NC_PARA && n->kind != NC_PLAIN)
        return false;
    switch (n->parent ? n->parent->kind : NC_NONE) {
    case NC_DOCUMENT:
    case NC_BLOCK_QUOTE:
    case NC_LIST_ITEM:
    case NC_DEF_DATA:
    case NC_DIV:
    case NC_NOTE:
        return true;
    default:
        return false;
    }
}

static nc_node *make_figure(ctx *c, const match *m)
{
    nc_node *fig = nc_node_new(c->doc, NC_FIGURE, &m->pos);
    if (m->cap)
        nc_node_append(fig, m->cap);
    nc_node *p = nc_node_new(c->doc, NC_PLAIN, &m->pos);
    nc_node_append(p, m->inl);
    nc_node_append(fig, p);
    return fig;
}

static bool inside_link(const nc_node *n)
{
    for (; n; n = n->parent)
        if (n->kind == NC_LINK || n->kind == NC_IMAGE)
            return true;
    return false;
}

static void do_inlines(ctx *c, nc_node *parent)
{
    c->raw = NULL;
    c->in_link = inside_link(parent);
    nc_buf_clear(&c->text);
    c->nsegs = 0;
    for (nc_node *n = parent->first; n; n = n->next) {
        if (c->nsegs == c->capsegs) {
            c->capsegs = c->capsegs ? c->capsegs * 2 : 64;
            c->segs = nc_xrealloc(c->segs, c->capsegs * sizeof *c->segs);
        }
        c->segs[c->nsegs++] = (seg){n, c->text.len, false};
        size_t len;
        const char *t = node_text(n, &len);
        if (t)
            nc_buf_put(&c->text, t, len);
        else
            nc_buf_putc(&c->text, '\0');
    }
    if (!c->nsegs)
        return;
    collect(c, c->text.ptr, c->text.len);
    if (c->nms == 1 && c->ms[0].figure && figure_place(parent) &&
        all_ws(c->text.ptr, c->ms[0].a) &&
        all_ws(c->text.ptr + c->ms[0].b, c->text.len - c->ms[0].b)) {
        /* a paragraph of only a figure is a figure, as pandoc's implicit_figures has it */
        nc_node_insert_before(parent, make_figure(c, &c->ms[0]));
        nc_node_unlink(parent);
        return;
    }
    for (size_t k = c->nms; k-- > 0;) {
        const match *m = &c->ms[k];
        if (m->lb == NONE) {
            splice(c, m->a, m->b, &m->bpos, m->inl);
            continue;
        }
        /* "[text](" ref ")": the link takes the inlines between the brackets */
        splice(c, m->a - 2, m->b + 1, &m->bpos, m->inl);
        nc_node *mark = nc_node_new(c->doc, NC_SPAN, &m->pos);
        splice(c, m->lb, m->lb + 1, &m->lbpos, mark);
        for (nc_node *n = mark->next; n && n != m->inl;) {
            nc_node *next = n->next;
            nc_node_unlink(n);
            nc_node_append(m->inl, n);
            n = next;
        }
        nc_node_unlink(mark);
    }
    for (size_t k = 0; k < c->nsegs; k++)
        if (c->segs[k].cut)
            nc_node_set_text(c->doc, c->segs[k].n, c->segs[k].n->text, c->segs[k].n->len);
}

/* Raw HTML text between shortcodes, if it holds more than white space. */
static void raw_piece(ctx *c, nc_node *rb, size_t from, size_t to)
{
    const char *t = rb->text;
    while (from < to && is_ws(t[from]))
        from++;
    while (to > from && is_ws(t[to - 1]))
        to--;
    if (from == to)
        return;
    nc_pos p = pos_of(c, from);
    nc_node *n = nc_node_new(c->doc, NC_RAW_BLOCK, &p);
    n->format = rb->format;
    nc_node_set_text(c->doc, n, t + from, to - from);
    nc_node_insert_before(rb, n);
}

/* A raw HTML block is cut at its shortcodes: a figure alone on its lines becomes a figure, any
 * other replacement a Plain between the pieces of raw HTML. */
static void do_raw_block(ctx *c, nc_node *rb)
{
    c->raw = rb;
    c->in_link = false;
    collect(c, rb->text, rb->len);
    if (!c->nms)
        return;
    const char *t = rb->text;
    size_t from = 0;
    for (size_t k = 0; k < c->nms; k++) {
        const match *m = &c->ms[k];
        raw_piece(c, rb, from, m->a);
        size_t l0 = m->a, l1 = m->b;
        while (l0 > 0 && t[l0 - 1] != '\n')
            l0--;
        while (l1 < rb->len && t[l1] != '\n')
            l1++;
        nc_node *blk;
        if (m->figure && all_ws(t + l0, m->a - l0) && all_ws(t + m->b, l1 - m->b)) {
            blk = make_figure(c, m);
        } else {
            blk = nc_node_new(c->doc, NC_PLAIN, &m->pos);
            nc_node_append(blk, m->inl);
        }
        nc_node_insert_before(rb, blk);
        from = m->b;
    }
    raw_piece(c, rb, from, rb->len);
    nc_node_unlink(rb);
}

static bool has_braces(const char *t, size_t len)
{
    for (const char *p = t; len >= 2 && (p = memchr(p, '{', len - 1 - (size_t)(p - t))); p++)
        if (p[1] == '{')
            return true;
    return false;
}

/* Is there a "{{" in the text of one of n's children? Only "{{": the '<' after it may be the
 * start of a raw HTML inline of its own, {{<figure src="x">}} being text, a tag and text. */
static bool worth_a_look(const nc_node *n)
{
    if (n->kind == NC_IMAGE || is_autolink(n))
        return false;
    for (const nc_node *k = n->first; k; k = k->next) {
        size_t len = 0;
        const char *t = k->kind == NC_LINK ? NULL : node_text(k, &len);
        if (t && has_braces(t, len))
            return true;
    }
    return false;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    if (args && *args) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter hugo-shortcodes takes no arguments");
        return -1;
    }
    /* the places to work on are listed first, so that the changes made do not upset the walk
       and new nodes are not looked at again */
    nc_node **todo = NULL;
    size_t ntodo = 0, cap = 0;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER)
            continue;
        bool want = n->kind == NC_RAW_BLOCK
                        ? is_html(n->format) && n->text && has_braces(n->text, n->len)
                        : n->first && worth_a_look(n);
        if (!want)
            continue;
        if (ntodo == cap) {
            cap = cap ? cap * 2 : 32;
            todo = nc_xrealloc(todo, cap * sizeof *todo);
        }
        todo[ntodo++] = n;
    }
    ctx c = {0};
    c.doc = doc;
    c.diag = diag;
    for (size_t i = 0; i < ntodo; i++) {
        if (todo[i]->kind == NC_RAW_BLOCK)
            do_raw_block(&c, todo[i]);
        else
            do_inlines(&c, todo[i]);
    }
    if (c.nwarn > MAX_WARNINGS)
        nc_diag_report(diag, NC_DIAG_WARNING, NULL,
                       "%zu more Hugo shortcode warnings left out", c.nwarn - MAX_WARNINGS);
    free(todo);
    free(c.segs);
    free(c.ms);
    free(c.s.args);
    nc_buf_free(&c.s.store);
    nc_buf_free(&c.text);
    nc_buf_free(&c.tmp);
    return 0;
}

const nc_filter nc_filter_hugo_shortcodes = {
    "hugo-shortcodes",
    "turn Hugo shortcodes (figure, x/tweet, youtube, ref/relref) into images, figures and "
    "links; others stay as text with a warning (on by default)",
    "",
    true,
    run,
};
