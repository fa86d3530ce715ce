/* outline.c — the `outline` writer: one JSON document per note for tools (metadata, title,
 * heading tree, links, images, code blocks, statistics); doc/outline.schema.json is its shape.
 * It never mutates the document, walks it once without recursion and writes JSON directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "internal.h"

#define OUTLINE_VERSION 1

/* Reading rates (see the README): Japanese ~500 characters a minute, English ~200 words. */
#define CJK_PER_MIN 500
#define WORDS_PER_MIN 200

/* ---- JSON output: a writer that knows where commas and line breaks go ---- */

typedef struct jw {
    nc_buf *b;
    bool pretty;
    bool after_key;
    size_t depth;
    bool *empty; /* per open container: nothing written in it yet */
    size_t cap;
} jw;

static void newline(jw *w, size_t depth)
{
    static const char spaces[] = "                                                                ";
    nc_putc(w->b, '\n');
    for (size_t n = depth * 2; n;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        nc_put(w->b, spaces, k);
        n -= k;
    }
}

/* Before a value or a key: the comma and indentation that the container needs. */
static void sep(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->depth)
        return;
    if (!w->empty[w->depth - 1])
        nc_putc(w->b, ',');
    w->empty[w->depth - 1] = false;
    if (w->pretty)
        newline(w, w->depth);
}

static void jopen(jw *w, char c)
{
    sep(w);
    nc_putc(w->b, c);
    if (w->depth == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 32;
        w->empty = nc_xrealloc(w->empty, w->cap * sizeof *w->empty);
    }
    w->empty[w->depth++] = true;
}

static void jclose(jw *w, char c)
{
    w->depth--;
    if (w->pretty && !w->empty[w->depth])
        newline(w, w->depth);
    nc_putc(w->b, c);
}

/* nc_utf8_decode with the two- and three-byte forms (all of Japanese) done inline */
static inline int decode(const char *str, size_t n, int32_t *cp)
{
    const unsigned char *p = (const unsigned char *)str;
    if (n >= 3 && p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *cp = ((int32_t)(p[0] & 0x0F) << 12) | ((int32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    if (n >= 2 && p[0] >= 0xC2 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80) {
        *cp = ((int32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    return nc_utf8_decode(str, n, cp);
}

/* JSON string escapes: 1 = \uXXXX, other values are the letter after the backslash. */
static const unsigned char esc_tab[128] = {
    1, 1, 1, 1, 1, 1, 1, 1, 'b', 't', 'n', 1, 'f', 'r', 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = '"', ['\\'] = '\\', [0x7F] = 1,
};

/* Writes s as a JSON string. Invalid UTF-8 becomes U+FFFD so the output is always valid;
 * U+2028 and U+2029 are escaped because JavaScript source cannot hold them in a string. */
static void str_raw(nc_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    nc_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t o = i;
        while (i < n && p[i] < 0x80 && !esc_tab[p[i]])
            i++;
        if (i > o)
            nc_put(b, s + o, i - o);
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            unsigned e = esc_tab[p[i]];
            if (e == 1) {
                char u[6] = {'\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15]};
                nc_put(b, u, 6);
            } else {
                char q[2] = {'\\', (char)e};
                nc_put(b, q, 2);
            }
            i++;
            continue;
        }
        int32_t cp;
        int k = decode(s + i, n - i, &cp);
        if (!k) {
            NC_PUTS(b, "\xEF\xBF\xBD");
            i++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            nc_put(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
            i += (size_t)k;
        } else {
            nc_put(b, s + i, (size_t)k);
            i += (size_t)k;
        }
    }
    nc_putc(b, '"');
}

static void str(jw *w, const char *s, size_t n)
{
    sep(w);
    str_raw(w->b, s, n);
}

static void strz(jw *w, const char *s)
{
    str(w, s, strlen(s));
}

/* A key that needs no escaping, written as it is: the writer's own keys are such */
static void plain_key(jw *w, const char *k, size_t n)
{
    sep(w);
    nc_putc(w->b, '"');
    nc_put(w->b, k, n);
    if (w->pretty)
        NC_PUTS(w->b, "\": ");
    else
        NC_PUTS(w->b, "\":");
    w->after_key = true;
}

#define key(w, lit) plain_key((w), (lit), sizeof(lit) - 1)

/* A key from the input (metadata, node kinds) */
static void any_key(jw *w, const char *k)
{
    sep(w);
    str_raw(w->b, k, strlen(k));
    if (w->pretty)
        NC_PUTS(w->b, ": ");
    else
        nc_putc(w->b, ':');
    w->after_key = true;
}

static void literal(jw *w, const char *s, size_t n)
{
    sep(w);
    nc_put(w->b, s, n);
}

static void num(jw *w, unsigned long long v)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    do
        tmp[--i] = (char)('0' + v % 10);
    while (v /= 10);
    literal(w, tmp + i, sizeof tmp - (size_t)i);
}

static void boolean(jw *w, bool v)
{
    if (v)
        literal(w, "true", 4);
    else
        literal(w, "false", 5);
}

static void null(jw *w)
{
    literal(w, "null", 4);
}

/* ---- metadata ---- */

/* Is s a number as JSON writes one: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static bool json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return false;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

/* A number as written when JSON can hold it as it is (1.50 stays 1.50); otherwise (0x1F,
 * +3, 1_000) its value in the shortest form that reads back the same; infinities and NaN
 * (also 1e400), which JSON has no numbers for, as the source text in a string. */
static void meta_number(jw *w, const nc_meta *m)
{
    double v = m->num;
    bool finite = v == v && v - v == 0;
    if (finite && m->str && json_number(m->str, m->len)) {
        literal(w, m->str, m->len);
        return;
    }
    if (finite) {
        char tmp[40];
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, v);
            if (strtod(tmp, NULL) == v)
                break;
        }
        literal(w, tmp, strlen(tmp));
        return;
    }
    if (m->str)
        str(w, m->str, m->len);
    else
        null(w);
}

static void meta_scalar(jw *w, const nc_meta *m, nc_buf *tmp)
{
    switch (m->kind) {
    case NC_META_STRING:
        str(w, m->str ? m->str : "", m->str ? m->len : 0);
        break;
    case NC_META_BOOL:
        boolean(w, m->b);
        break;
    case NC_META_NUMBER:
        meta_number(w, m);
        break;
    default:
        /* inlines and blocks (from pandoc JSON) as their plain text */
        nc_buf_clear(tmp);
        nc_meta_text(m, tmp);
        str(w, tmp->ptr ? tmp->ptr : "", tmp->len);
        break;
    }
}

typedef struct mframe {
    const nc_meta *m;
    size_t i;
} mframe;

/* Maps keep their order in the front matter. An explicit stack, not recursion: nesting is
 * bounded only by the reader's limit. */
static void meta_value(jw *w, const nc_meta *root, nc_buf *tmp)
{
    if (root->kind != NC_META_MAP && root->kind != NC_META_LIST) {
        meta_scalar(w, root, tmp);
        return;
    }
    size_t n = 0, cap = 16;
    mframe *st = nc_xmalloc(cap * sizeof *st);
    jopen(w, root->kind == NC_META_MAP ? '{' : '[');
    st[n++] = (mframe){root, 0};
    while (n) {
        mframe *f = &st[n - 1];
        if (f->i >= f->m->n) {
            jclose(w, f->m->kind == NC_META_MAP ? '}' : ']');
            n--;
            continue;
        }
        size_t i = f->i++;
        if (f->m->kind == NC_META_MAP)
            any_key(w, f->m->keys[i]);
        const nc_meta *v = f->m->items[i];
        if (v->kind == NC_META_MAP || v->kind == NC_META_LIST) {
            jopen(w, v->kind == NC_META_MAP ? '{' : '[');
            if (n == cap) {
                cap *= 2;
                st = nc_xrealloc(st, cap * sizeof *st);
            }
            st[n++] = (mframe){v, 0};
        } else {
            meta_scalar(w, v, tmp);
        }
    }
    free(st);
}

/* ---- the set of anchors a #fragment may name ---- */

typedef struct anchor {
    const char *s;
    size_t n;
} anchor;

typedef struct anchors {
    anchor *slots;
    size_t cap, n;
} anchors;

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void anchors_add(anchors *set, const char *s, size_t n)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        anchor *slots = nc_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i].s)
                continue;
            size_t j = hash(set->slots[i].s, set->slots[i].n) & (cap - 1);
            while (slots[j].s)
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = hash(s, n) & (set->cap - 1);
    for (; set->slots[j].s; j = (j + 1) & (set->cap - 1))
        if (set->slots[j].n == n && memcmp(set->slots[j].s, s, n) == 0)
            return;
    set->slots[j] = (anchor){s, n};
    set->n++;
}

static bool anchors_has(const anchors *set, const char *s, size_t n)
{
    if (!set->cap)
        return false;
    for (size_t j = hash(s, n) & (set->cap - 1); set->slots[j].s; j = (j + 1) & (set->cap - 1))
        if (set->slots[j].n == n && memcmp(set->slots[j].s, s, n) == 0)
            return true;
    return false;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
           c == ':';
}

/* Raw HTML anchors: the values of id="…" and name="…" attributes (also with ' quotes). */
static void raw_anchors(anchors *set, const char *s, size_t n)
{
    for (size_t i = 1; i + 4 < n; i++) {
        size_t k;
        if (s[i] == '=' && (s[i + 1] == '"' || s[i + 1] == '\'')) {
            size_t e = i;
            while (e > 0 && name_char(s[e - 1]))
                e--;
            if (e == 0 || !(s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n'))
                continue;
            size_t klen = i - e;
            if (!((klen == 2 && strncasecmp(s + e, "id", 2) == 0) ||
                  (klen == 4 && strncasecmp(s + e, "name", 4) == 0)))
                continue;
            char q = s[i + 1];
            for (k = i + 2; k < n && s[k] != q && s[k] != '<' && s[k] != '>'; k++)
                ;
            if (k < n && s[k] == q && k > i + 2)
                anchors_add(set, s + i + 2, k - i - 2);
            i = k;
        }
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return -1;
}

/* Does #frag name an anchor? Fragments are compared as written and percent-decoded
 * (#%E5%9F%BA%E8%AA%BF is #基調); an empty fragment and #top are the top of the page, as
 * the HTML standard has it. */
static bool anchor_exists(const anchors *set, const char *frag, size_t n, nc_buf *tmp)
{
    if (n == 0 || (n == 3 && strncasecmp(frag, "top", 3) == 0))
        return true;
    if (anchors_has(set, frag, n))
        return true;
    if (!memchr(frag, '%', n))
        return false;
    nc_buf_clear(tmp);
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (frag[i] == '%' && i + 2 < n && (hi = hexval(frag[i + 1])) >= 0 &&
            (lo = hexval(frag[i + 2])) >= 0) {
            nc_buf_putc(tmp, hi * 16 + lo);
            i += 2;
        } else {
            nc_buf_putc(tmp, frag[i]);
        }
    }
    return anchors_has(set, tmp->ptr, tmp->len);
}

/* ---- statistics ---- */

typedef struct stats {
    size_t chars, nonspace, latin, cjk, code_lines;
    bool in_word, word_has_alnum;
    size_t nodes[NC_KIND_COUNT];
} stats;

/* Kinds of characters for counting: a letter of a Latin-like word, punctuation or a symbol
 * (part of a word, never a word alone: "e.g." and "AWS/GCP" are one word, "—" none), a space,
 * a CJK word character (one word each), CJK punctuation (a character, no word). */
enum { C_ALNUM, C_PUNCT, C_SPACE, C_CJK, C_CJK_PUNCT };

static int classify(int32_t cp)
{
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
        (cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB && cp != 0x30A0) ||
        (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
        (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
        (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0x3005 && cp <= 0x3007))
        return C_CJK;
    /* fullwidth digits and letters spell Latin words */
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A))
        return C_ALNUM;
    if (cp == 0x3000)
        return C_SPACE;
    if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF65) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || cp == 0x30FB || cp == 0x30A0)
        return C_CJK_PUNCT;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_ALNUM;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return C_SPACE;
    default:
        return C_PUNCT;
    }
}

/* ASCII classes, looked up without decoding */
static void init_ascii(unsigned char *t)
{
    for (int c = 0; c < 128; c++)
        t[c] = (unsigned char)(((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
                                   ? C_ALNUM
                               : (c == ' ' || (c >= 9 && c <= 13)) ? C_SPACE
                                                                   : C_PUNCT);
}

static inline void end_word(stats *st)
{
    if (st->in_word && st->word_has_alnum)
        st->latin++;
    st->in_word = st->word_has_alnum = false;
}

static void count_class(stats *st, int cls)
{
    st->chars++;
    switch (cls) {
    case C_ALNUM:
        st->nonspace++;
        st->in_word = st->word_has_alnum = true;
        break;
    case C_PUNCT:
        st->nonspace++;
        st->in_word = true;
        break;
    case C_SPACE:
        end_word(st);
        break;
    case C_CJK:
        st->nonspace++;
        end_word(st);
        st->cjk++;
        break;
    default:
        st->nonspace++;
        end_word(st);
        break;
    }
}

static void count_text(stats *st, const unsigned char *cls_ascii, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            count_class(st, cls_ascii[p[i]]);
            i++;
            continue;
        }
        int32_t cp;
        int k = decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        count_class(st, classify(cp));
    }
}

/* ---- collecting ---- */

/* The text of a code block has no final newline, so n newlines make n + 1 lines */
static size_t code_lines(const nc_node *c)
{
    if (!c->len || !c->text)
        return 0;
    size_t lines = 1;
    for (const char *p = c->text, *end = c->text + c->len; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        lines++;
    return lines;
}

typedef struct list {
    const nc_node **v;
    size_t n, cap;
} list;

static void push(list *l, const nc_node *n)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->v = nc_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = n;
}

typedef struct outline {
    jw w;
    list headings, links, images, code;
    anchors ids;
    anchors labels; /* of the footnotes seen */
    stats st;
    size_t notes;
    const char *path;
    nc_buf tmp, tmp2;
} outline;

static void collect(outline *o, nc_node *root)
{
    unsigned char cls[128];
    init_ascii(cls);
    nc_iter it;
    nc_iter_init(&it, root);
    nc_event ev;
    int in_image = 0;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        /* a word never runs from one block into the next, nor into or out of a footnote */
        if (nc_kind_is_block(n->kind) || n->kind == NC_NOTE)
            end_word(&o->st);
        if (ev == NC_EV_EXIT) {
            if (n->kind == NC_IMAGE)
                in_image--;
            continue;
        }
        /* the toc filter's contents list is navigation made from the headings, not prose */
        if (n->kind == NC_DIV && nc_node_has_class(n, "toc") && n->attr && n->attr->id &&
            strcmp(n->attr->id, "TOC") == 0) {
            nc_iter_reset(&it, n, NC_EV_EXIT);
            continue;
        }
        o->st.nodes[n->kind]++;
        if (n->attr && n->attr->id && *n->attr->id)
            anchors_add(&o->ids, n->attr->id, strlen(n->attr->id));
        switch (n->kind) {
        case NC_HEADER:
            push(&o->headings, n);
            break;
        case NC_LINK:
            push(&o->links, n);
            break;
        case NC_IMAGE:
            push(&o->images, n);
            in_image++;
            break;
        case NC_NOTE:
            /* a note referred to twice is in the tree twice: its text is read once */
            if (n->label && *n->label) {
                size_t len = strlen(n->label);
                if (anchors_has(&o->labels, n->label, len)) {
                    nc_iter_reset(&it, n, NC_EV_EXIT);
                    break;
                }
                anchors_add(&o->labels, n->label, len);
            }
            o->notes++;
            break;
        case NC_CODE_BLOCK:
            push(&o->code, n);
            o->st.code_lines += code_lines(n);
            break;
        case NC_RAW_BLOCK:
        case NC_RAW_INLINE:
            if (n->format && strcmp(n->format, "html") == 0 && n->text)
                raw_anchors(&o->ids, n->text, n->len);
            break;
        case NC_STR:
        case NC_CODE:
        case NC_MATH:
            if (!in_image && n->text)
                count_text(&o->st, cls, n->text, n->len);
            break;
        case NC_SPACE:
        case NC_SOFT_BREAK:
        case NC_LINE_BREAK:
            if (!in_image)
                count_class(&o->st, C_SPACE);
            break;
        default:
            break;
        }
    }
    end_word(&o->st);
}

/* ---- writing ---- */

static void text_of(outline *o, const nc_node *n)
{
    nc_buf_clear(&o->tmp);
    nc_node_text(n, &o->tmp);
    str(&o->w, o->tmp.ptr ? o->tmp.ptr : "", o->tmp.len);
}

/* "line", and "file" when the node comes from another input than the first */
static void position(outline *o, const nc_node *n)
{
    const char *f = n->pos.file;
    if (f && o->path && f != o->path && strcmp(f, o->path) != 0) {
        key(&o->w, "file");
        strz(&o->w, f);
    }
    key(&o->w, "line");
    num(&o->w, n->pos.line);
}

/* anchor (#id), email (mailto:), external (a scheme or //host), relative (anything else) */
static const char *target_kind(const char *url)
{
    if (url[0] == '#')
        return "anchor";
    if (url[0] == '/' && url[1] == '/')
        return "external";
    size_t i = 0;
    if ((url[0] | 0x20) >= 'a' && (url[0] | 0x20) <= 'z') {
        while ((url[i] | 0x20) >= 'a' && (url[i] | 0x20) <= 'z')
            i++;
        while (((url[i] | 0x20) >= 'a' && (url[i] | 0x20) <= 'z') ||
               (url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '-' ||
               url[i] == '.')
            i++;
        if (url[i] == ':')
            return (i == 6 && strncasecmp(url, "mailto", 6) == 0) ? "email" : "external";
    }
    return "relative";
}

static void write_title(outline *o, const nc_doc *doc)
{
    key(&o->w, "title");
    const nc_meta *t = nc_meta_get(nc_doc_meta(doc), "title");
    if (t) {
        nc_buf_clear(&o->tmp);
        nc_meta_text(t, &o->tmp);
        if (o->tmp.len) {
            str(&o->w, o->tmp.ptr, o->tmp.len);
            return;
        }
    }
    for (size_t i = 0; i < o->headings.n; i++)
        if (o->headings.v[i]->level == 1) {
            text_of(o, o->headings.v[i]);
            return;
        }
    null(&o->w);
}

/* Headings nest under the nearest heading before them of a smaller level, so ### after #
 * is a child of the #, and a ## before any # is at the top. */
static void write_headings(outline *o)
{
    int stack[8];
    int n = 0;
    key(&o->w, "headings");
    jopen(&o->w, '[');
    for (size_t i = 0; i < o->headings.n; i++) {
        const nc_node *h = o->headings.v[i];
        int level = h->level < 1 ? 1 : h->level > 6 ? 6 : h->level;
        while (n && stack[n - 1] >= level) {
            jclose(&o->w, ']');
            jclose(&o->w, '}');
            n--;
        }
        jopen(&o->w, '{');
        key(&o->w, "level");
        num(&o->w, (unsigned)level);
        key(&o->w, "text");
        text_of(o, h);
        key(&o->w, "id");
        if (h->attr && h->attr->id && *h->attr->id)
            strz(&o->w, h->attr->id);
        else
            null(&o->w);
        position(o, h);
        key(&o->w, "children");
        jopen(&o->w, '[');
        stack[n++] = level;
    }
    while (n--) {
        jclose(&o->w, ']');
        jclose(&o->w, '}');
    }
    jclose(&o->w, ']');
}

static void write_links(outline *o)
{
    key(&o->w, "links");
    jopen(&o->w, '[');
    for (size_t i = 0; i < o->links.n; i++) {
        const nc_node *l = o->links.v[i];
        const char *url = l->url ? l->url : "";
        const char *kind = target_kind(url);
        jopen(&o->w, '{');
        key(&o->w, "target");
        strz(&o->w, url);
        key(&o->w, "text");
        text_of(o, l);
        key(&o->w, "title");
        strz(&o->w, l->title ? l->title : "");
        key(&o->w, "kind");
        strz(&o->w, kind);
        if (kind[0] == 'a') {
            key(&o->w, "anchor_exists");
            boolean(&o->w, anchor_exists(&o->ids, url + 1, strlen(url + 1), &o->tmp2));
        }
        position(o, l);
        jclose(&o->w, '}');
    }
    jclose(&o->w, ']');
}

static void write_images(outline *o)
{
    key(&o->w, "images");
    jopen(&o->w, '[');
    for (size_t i = 0; i < o->images.n; i++) {
        const nc_node *m = o->images.v[i];
        const char *url = m->url ? m->url : "";
        jopen(&o->w, '{');
        key(&o->w, "target");
        strz(&o->w, url);
        key(&o->w, "alt");
        text_of(o, m);
        key(&o->w, "title");
        strz(&o->w, m->title ? m->title : "");
        key(&o->w, "kind");
        strz(&o->w, target_kind(url));
        position(o, m);
        jclose(&o->w, '}');
    }
    jclose(&o->w, ']');
}

static void write_code(outline *o)
{
    key(&o->w, "code_blocks");
    jopen(&o->w, '[');
    for (size_t i = 0; i < o->code.n; i++) {
        const nc_node *c = o->code.v[i];
        jopen(&o->w, '{');
        key(&o->w, "language");
        if (c->attr && c->attr->nclasses && c->attr->classes[0][0])
            strz(&o->w, c->attr->classes[0]);
        else
            null(&o->w);
        key(&o->w, "lines");
        num(&o->w, code_lines(c));
        position(o, c);
        jclose(&o->w, '}');
    }
    jclose(&o->w, ']');
}

static int by_name(const void *a, const void *b)
{
    return strcmp(nc_kind_name(*(const nc_kind *)a), nc_kind_name(*(const nc_kind *)b));
}

static void write_stats(outline *o)
{
    const stats *st = &o->st;
    key(&o->w, "stats");
    jopen(&o->w, '{');
    key(&o->w, "characters");
    num(&o->w, st->chars);
    key(&o->w, "characters_no_spaces");
    num(&o->w, st->nonspace);
    key(&o->w, "words");
    num(&o->w, st->latin + st->cjk);
    key(&o->w, "latin_words");
    num(&o->w, st->latin);
    key(&o->w, "cjk_characters");
    num(&o->w, st->cjk);
    key(&o->w, "code_lines");
    num(&o->w, st->code_lines);
    /* seconds = cjk * 60 / 500 + words * 60 / 200, rounded */
    unsigned long long ms = (unsigned long long)st->cjk * 60 * 1000 / CJK_PER_MIN +
                                   (unsigned long long)st->latin * 60 * 1000 / WORDS_PER_MIN;
    unsigned long long secs = (ms + 500) / 1000;
    key(&o->w, "reading_time");
    jopen(&o->w, '{');
    key(&o->w, "minutes");
    unsigned long long mins = (secs + 59) / 60;
    num(&o->w, mins ? mins : (st->latin + st->cjk) ? 1 : 0);
    key(&o->w, "seconds");
    num(&o->w, secs);
    jclose(&o->w, '}');
    key(&o->w, "nodes");
    jopen(&o->w, '{');
    nc_kind kinds[NC_KIND_COUNT];
    size_t nk = 0;
    for (int k = NC_DOCUMENT + 1; k < NC_KIND_COUNT; k++)
        if (st->nodes[k])
            kinds[nk++] = (nc_kind)k;
    qsort(kinds, nk, sizeof *kinds, by_name);
    for (size_t i = 0; i < nk; i++) {
        any_key(&o->w, nc_kind_name(kinds[i]));
        num(&o->w, st->nodes[kinds[i]]);
    }
    jclose(&o->w, '}');
    jclose(&o->w, '}');
}

static int render(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    NC_UNUSED(diag);
    outline o;
    memset(&o, 0, sizeof o);
    nc_buf_init(&o.tmp);
    nc_buf_init(&o.tmp2);
    o.w.b = out;
    const char *compact = nc_options_var(opt, "compact");
    o.w.pretty = !(compact && strcmp(compact, "false") != 0 && strcmp(compact, "0") != 0);
    o.path = nc_doc_path(doc);
    collect(&o, nc_doc_root(doc));

    jw *w = &o.w;
    jopen(w, '{');
    key(w, "outline_version");
    num(w, OUTLINE_VERSION);
    key(w, "source");
    if (o.path)
        strz(w, o.path);
    else
        null(w);
    write_title(&o, doc);
    key(w, "lang");
    strz(w, nc_doc_lang(doc));
    key(w, "metadata");
    meta_value(w, nc_doc_meta(doc), &o.tmp);
    write_headings(&o);
    write_links(&o);
    write_images(&o);
    key(w, "footnotes");
    num(w, o.notes);
    write_code(&o);
    write_stats(&o);
    jclose(w, '}');
    nc_putc(out, '\n');
    out->ptr[out->len] = '\0'; /* nc_put() leaves room for it but does not write it */

    free(o.w.empty);
    free(o.headings.v);
    free(o.links.v);
    free(o.images.v);
    free(o.code.v);
    free(o.ids.slots);
    free(o.labels.slots);
    nc_buf_free(&o.tmp);
    nc_buf_free(&o.tmp2);
    return 0;
}

const nc_writer nc_writer_outline = {
    "outline", "", "a JSON outline: metadata, headings, links, images, statistics", false,
    render,
};
