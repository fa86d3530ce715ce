/* xhtml.c — the xhtml writer: the HTML writer's output, raw HTML and all, read by libxml2's
 * HTML parser and written back as well-formed XHTML5 for EPUB. Must not change html.c's output. */
#include <ctype.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "writer/xhtml.h"

/* libxml2 is opened when a note is first written as XHTML, not when noteconv starts: it brings
 * ICU and the C++ runtime, which would double the start-up time of every other conversion.
 * Filled once under pthread_once, read-only after. */
#define XML_FNS(X)                                                                              \
    X(xmlInitParser)                                                                            \
    X(htmlNewParserCtxt)                                                                        \
    X(htmlCtxtReadMemory)                                                                       \
    X(htmlFreeParserCtxt)                                                                       \
    X(xmlFreeDoc)

static struct {
#define X(f) __typeof__(&f) f;
    XML_FNS(X)
#undef X
    bool ok;
} lx;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    void *h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
    void *p;
    if (!h)
        return;
#define X(f)                                                                                    \
    if (!(p = dlsym(h, #f)))                                                                    \
        return;                                                                                 \
    memcpy(&lx.f, &p, sizeof p);
    XML_FNS(X)
#undef X
    lx.xmlInitParser();
    lx.ok = true;
}

/* What becomes of an element of the parsed HTML. */
enum act {
    KEEP = 1, /* as it is, with its attributes checked */
    SKIP,     /* dropped with its content */
    UNWRAP,   /* its content only */
    TEXT,     /* not HTML: written as the text the author typed, then its content */
    IFRAME,   /* a link to what it shows */
    RENAME,   /* an obsolete element: its modern name */
    AS_SPAN,  /* out of place (an <li> outside a list, a second <summary>): a span */
    AS_DIV    /* the same where flow content is allowed: a div */
};

/* What the first pass decides for a node, kept in its _private: the act, and for its
 * children the context it makes (phrasing only? the nearest element written, as an index
 * into elems). WRAP_* put a node that its container cannot hold directly into one that it
 * can: text in a <ul> becomes an <li>. */
#define F_ACT 0xFu
#define F_PHRASING 0x10u
#define F_WRAP_SHIFT 5
#define F_SUMMARY 0x200u /* a <details> that needs a <summary> first */
#define F_EFF_SHIFT 12
#define EFF_NONE 0xFFu
enum { WRAP_NONE, WRAP_LI, WRAP_DD, WRAP_TD, WRAP_TR, WRAP_DT };

typedef struct elem {
    const char *name;
    unsigned char act;
    unsigned char warn; /* say so when a note has it */
    const char *to;     /* RENAME */
} elem;

/* Sorted by name for bsearch. */
static const elem elems[] = {
    {"a", KEEP, 0, NULL},           {"abbr", KEEP, 0, NULL},
    {"acronym", RENAME, 0, "abbr"}, {"address", KEEP, 0, NULL},
    {"applet", SKIP, 1, NULL},      {"area", SKIP, 0, NULL},
    {"article", KEEP, 0, NULL},     {"aside", KEEP, 0, NULL},
    {"audio", SKIP, 1, NULL},       {"b", KEEP, 0, NULL},
    {"base", SKIP, 0, NULL},        {"basefont", SKIP, 0, NULL},
    {"bdi", KEEP, 0, NULL},         {"bdo", KEEP, 0, NULL},
    {"big", RENAME, 0, "span"},     {"blink", UNWRAP, 0, NULL},
    {"blockquote", KEEP, 0, NULL},  {"body", UNWRAP, 0, NULL},
    {"br", KEEP, 0, NULL},          {"button", UNWRAP, 0, NULL},
    {"canvas", SKIP, 1, NULL},      {"caption", KEEP, 0, NULL},
    {"center", RENAME, 0, "div"},   {"cite", KEEP, 0, NULL},
    {"code", KEEP, 0, NULL},        {"col", KEEP, 0, NULL},
    {"colgroup", KEEP, 0, NULL},    {"data", KEEP, 0, NULL},
    {"datalist", SKIP, 0, NULL},    {"dd", KEEP, 0, NULL},
    {"del", KEEP, 0, NULL},         {"details", KEEP, 0, NULL},
    {"dfn", KEEP, 0, NULL},         {"dialog", UNWRAP, 0, NULL},
    {"dir", RENAME, 0, "ul"},       {"div", KEEP, 0, NULL},
    {"dl", KEEP, 0, NULL},          {"dt", KEEP, 0, NULL},
    {"em", KEEP, 0, NULL},          {"embed", SKIP, 1, NULL},
    {"fieldset", UNWRAP, 0, NULL},  {"figcaption", KEEP, 0, NULL},
    {"figure", KEEP, 0, NULL},      {"font", RENAME, 0, "span"},
    {"footer", KEEP, 0, NULL},      {"form", UNWRAP, 0, NULL},
    {"frame", SKIP, 1, NULL},       {"frameset", SKIP, 1, NULL},
    {"h1", KEEP, 0, NULL},          {"h2", KEEP, 0, NULL},
    {"h3", KEEP, 0, NULL},          {"h4", KEEP, 0, NULL},
    {"h5", KEEP, 0, NULL},          {"h6", KEEP, 0, NULL},
    {"head", SKIP, 0, NULL},        {"header", KEEP, 0, NULL},
    {"hgroup", KEEP, 0, NULL},      {"hr", KEEP, 0, NULL},
    {"html", UNWRAP, 0, NULL},      {"i", KEEP, 0, NULL},
    {"iframe", IFRAME, 1, NULL},    {"img", KEEP, 0, NULL},
    {"input", KEEP, 0, NULL},       {"ins", KEEP, 0, NULL},
    {"kbd", KEEP, 0, NULL},         {"label", KEEP, 0, NULL},
    {"legend", UNWRAP, 0, NULL},    {"li", KEEP, 0, NULL},
    {"link", SKIP, 0, NULL},        {"main", UNWRAP, 0, NULL},
    {"map", UNWRAP, 0, NULL},       {"mark", KEEP, 0, NULL},
    {"marquee", UNWRAP, 0, NULL},   {"math", SKIP, 1, NULL},
    {"menu", RENAME, 0, "ul"},      {"meta", SKIP, 0, NULL},
    {"meter", KEEP, 0, NULL},       {"nav", KEEP, 0, NULL},
    {"nobr", UNWRAP, 0, NULL},      {"noembed", SKIP, 0, NULL},
    {"noframes", SKIP, 0, NULL},    {"noscript", UNWRAP, 0, NULL},
    {"object", SKIP, 1, NULL},      {"ol", KEEP, 0, NULL},
    {"optgroup", SKIP, 0, NULL},    {"option", SKIP, 0, NULL},
    {"output", KEEP, 0, NULL},      {"p", KEEP, 0, NULL},
    {"param", SKIP, 0, NULL},       {"picture", UNWRAP, 0, NULL},
    {"plaintext", RENAME, 0, "pre"}, {"pre", KEEP, 0, NULL},
    {"progress", KEEP, 0, NULL},    {"q", KEEP, 0, NULL},
    {"rb", KEEP, 0, NULL},          {"rp", KEEP, 0, NULL},
    {"rt", KEEP, 0, NULL},          {"rtc", KEEP, 0, NULL},
    {"ruby", KEEP, 0, NULL},        {"s", KEEP, 0, NULL},
    {"samp", KEEP, 0, NULL},        {"script", SKIP, 1, NULL},
    {"section", KEEP, 0, NULL},     {"select", SKIP, 0, NULL},
    {"slot", UNWRAP, 0, NULL},      {"small", KEEP, 0, NULL},
    {"source", SKIP, 0, NULL},      {"span", KEEP, 0, NULL},
    {"strike", RENAME, 0, "s"},     {"strong", KEEP, 0, NULL},
    {"style", SKIP, 1, NULL},       {"sub", KEEP, 0, NULL},
    {"summary", KEEP, 0, NULL},     {"sup", KEEP, 0, NULL},
    {"svg", SKIP, 1, NULL},         {"table", KEEP, 0, NULL},
    {"tbody", KEEP, 0, NULL},       {"td", KEEP, 0, NULL},
    {"template", SKIP, 0, NULL},    {"textarea", SKIP, 0, NULL},
    {"tfoot", KEEP, 0, NULL},       {"th", KEEP, 0, NULL},
    {"thead", KEEP, 0, NULL},       {"time", KEEP, 0, NULL},
    {"title", SKIP, 0, NULL},       {"tr", KEEP, 0, NULL},
    {"track", SKIP, 0, NULL},       {"tt", RENAME, 0, "code"},
    {"u", KEEP, 0, NULL},           {"ul", KEEP, 0, NULL},
    {"var", KEEP, 0, NULL},         {"video", SKIP, 1, NULL},
    {"wbr", KEEP, 0, NULL},         {"xmp", RENAME, 0, "pre"},
};

static int elem_cmp(const void *key, const void *e)
{
    return strcasecmp(key, ((const elem *)e)->name);
}

static const elem *find_elem(const char *name)
{
    return bsearch(name, elems, sizeof elems / sizeof elems[0], sizeof elems[0], elem_cmp);
}

static bool is_void(const char *name)
{
    static const char *const v[] = {"br", "col", "hr", "img", "input", "wbr"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strcmp(name, v[i]) == 0)
            return true;
    return false;
}

/* ---- XML text ---- */

void nc_xml_escape(nc_buf *b, const char *s, size_t n, bool attr)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t skip = 0;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (attr && c == '"')
            rep = "&quot;";
        else if (attr && c == '\n')
            rep = "&#10;";
        else if (attr && c == '\t')
            rep = "&#9;";
        else if (c == '\r')
            rep = "&#13;";
        else if (c < 0x20 && c != '\n' && c != '\t')
            rep = ""; /* XML 1.0 has no way to write these */
        else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                 ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            rep = ""; /* U+FFFE, U+FFFF */
            skip = 2;
        }
        if (!rep) {
            run++;
            continue;
        }
        nc_buf_put(b, s + i - run, run);
        run = 0;
        nc_buf_puts(b, rep);
        i += skip;
    }
    nc_buf_put(b, s + n - run, run);
}

static void esc0(nc_buf *b, const char *s, bool attr)
{
    nc_xml_escape(b, s, strlen(s), attr);
}

/* ---- warnings about raw HTML, at the note's line and column ---- */

/* Where offset off of a raw node's text is in the note. Offsets only grow during a scan, so
 * the cursor goes on from the last one: a fragment with many tags costs one pass. */
typedef struct cursor {
    size_t off;
    uint32_t line, col;
} cursor;

static void raw_pos(const nc_node *n, cursor *c, size_t off, nc_pos *p)
{
    for (; c->off < off; c->off++) {
        if (n->text[c->off] == '\n') {
            c->line++;
            c->col = 1;
        } else {
            c->col++;
        }
    }
    p->file = n->pos.file;
    p->line = c->line;
    p->col = c->col;
}

/* Looks at each tag of a raw HTML fragment for what the output drops or changes. */
static void scan_raw(const nc_node *n, nc_diag *diag)
{
    const char *s = n->text;
    size_t len = n->len;
    cursor cur = {0, n->pos.line, n->pos.col};
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '<')
            continue;
        if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
            const char *end = strstr(s + i + 4, "-->");
            i = end ? (size_t)(end - s) + 2 : len;
            continue;
        }
        size_t j = i + 1;
        if (j < len && s[j] == '/')
            continue;
        size_t k = j;
        while (k < len && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '_' ||
                           s[k] == ':'))
            k++;
        if (k == j || !isalpha((unsigned char)s[j]))
            continue;
        char name[64];
        size_t nl = k - j < sizeof name - 1 ? k - j : sizeof name - 1;
        memcpy(name, s + j, nl);
        name[nl] = '\0';
        nc_pos p;
        raw_pos(n, &cur, i, &p);
        const elem *e = find_elem(name);
        if (!e)
            nc_diag_report(diag, NC_DIAG_WARNING, &p,
                           "<%s> is not HTML: written as text (escape it as &lt;%s&gt;)", name,
                           name);
        else if (e->act == IFRAME)
            nc_diag_report(diag, NC_DIAG_WARNING, &p,
                           "<iframe> replaced by a link to its source (EPUB shows no frames)");
        else if (e->warn)
            nc_diag_report(diag, NC_DIAG_WARNING, &p, "<%s> dropped (not allowed in EPUB)",
                           name);
        /* the attributes, up to the end of the tag */
        bool quote = false;
        char q = 0;
        for (; k < len && (quote || s[k] != '>'); k++) {
            if ((s[k] == 'j' || s[k] == 'J') && k + 11 <= len &&
                strncasecmp(s + k, "javascript:", 11) == 0) {
                raw_pos(n, &cur, k, &p);
                nc_diag_report(diag, NC_DIAG_WARNING, &p, "javascript: URL dropped");
                k += 10;
                continue;
            }
            if (quote) {
                if (s[k] == q)
                    quote = false;
                continue;
            }
            if (s[k] == '"' || s[k] == '\'') {
                quote = true;
                q = s[k];
                continue;
            }
            bool start = isspace((unsigned char)s[k - 1]);
            if (start && (s[k] == 'o' || s[k] == 'O') && k + 2 < len &&
                (s[k + 1] == 'n' || s[k + 1] == 'N') && isalpha((unsigned char)s[k + 2])) {
                size_t a = k;
                while (a < len && isalpha((unsigned char)s[a]))
                    a++;
                size_t b = a;
                while (b < len && isspace((unsigned char)s[b]))
                    b++;
                if (b < len && s[b] == '=') {
                    raw_pos(n, &cur, k, &p);
                    nc_diag_report(diag, NC_DIAG_WARNING, &p,
                                   "event handler %.*s dropped (no scripts in EPUB)",
                                   (int)(a - k), s + k);
                }
                k = a - 1;
            }
        }
        i = k;
    }
}

/* Warns about what raw HTML loses; true when the blocks hold any. */
static bool scan_tree(nc_node *root, nc_diag *diag)
{
    bool raw = false;
    nc_iter it;
    nc_iter_init(&it, root);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev == NC_EV_ENTER && (n->kind == NC_RAW_BLOCK || n->kind == NC_RAW_INLINE) &&
            n->format && strcasecmp(n->format, "html") == 0 && n->text) {
            scan_raw(n, diag);
            raw = true;
        }
    }
    return raw;
}

/* ---- ids: valid XML names, unique ---- */

static bool name_start(int32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static bool name_char(int32_t c)
{
    return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

/* An NCName from s: characters a name cannot hold become '-', and one that cannot start a
 * name gets an "x" before it. */
static void ncname(nc_buf *b, const char *s)
{
    size_t n = strlen(s);
    size_t start = b->len;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        int l = nc_utf8_decode(s + i, n - i, &cp);
        if (l <= 0)
            l = 1;
        if (b->len == start && !name_start(cp))
            nc_buf_putc(b, 'x');
        if (name_char(cp) && cp != 0xFFFD)
            nc_buf_put(b, s + i, (size_t)l);
        else
            nc_buf_putc(b, '-');
        i += (size_t)l;
    }
    if (b->len == start)
        nc_buf_putc(b, 'x');
}

/* A string -> value table (open addressing; keys copied, the first value of a key wins). */
typedef struct strmap {
    char **keys;
    char **vals;
    size_t n, cap;
} strmap;

static char *map_get(const strmap *m, const char *k)
{
    if (!m->cap)
        return NULL;
    for (size_t j = nc_str_hash(k) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        if (!m->keys[j])
            return NULL;
        if (strcmp(m->keys[j], k) == 0)
            return m->vals[j];
    }
}

static void map_put(strmap *m, const char *k, char *v)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        char **keys = nc_xcalloc(cap, sizeof *keys);
        char **vals = nc_xcalloc(cap, sizeof *vals);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = nc_str_hash(m->keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = m->keys[i];
            vals[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t j = nc_str_hash(k) & (m->cap - 1);
    for (; m->keys[j]; j = (j + 1) & (m->cap - 1))
        if (strcmp(m->keys[j], k) == 0)
            return;
    m->keys[j] = nc_xstrdup(k);
    m->vals[j] = v;
    m->n++;
}

static void map_free(strmap *m, bool vals)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        if (vals)
            free(m->vals[i]);
    }
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

typedef struct ids {
    strmap map;  /* id as written -> id in the output */
    strmap used; /* ids in the output */
    unsigned gen;
} ids;

/* The output id for an element that asked for want (NULL: a generated one). */
static char *new_id(ids *d, const char *want)
{
    nc_buf b = NC_BUF_INIT;
    if (want)
        ncname(&b, want);
    else
        nc_buf_printf(&b, "h-%u", ++d->gen);
    size_t base = b.len;
    for (unsigned k = 2; map_get(&d->used, nc_buf_cstr(&b)); k++) {
        nc_buf_truncate(&b, base);
        nc_buf_printf(&b, "-%u", k);
    }
    char *id = nc_buf_detach(&b, NULL);
    map_put(&d->used, id, (char *)"");
    if (want && !map_get(&d->map, want))
        map_put(&d->map, want, nc_xstrdup(id));
    return id;
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* %XX decoded: fragments are written percent-encoded, ids are not. */
static char *unpercent(const char *s)
{
    nc_buf b = NC_BUF_INIT;
    for (; *s; s++) {
        int hi, lo;
        if (s[0] == '%' && (hi = hexv(s[1])) >= 0 && (lo = hexv(s[2])) >= 0 && (hi | lo)) {
            nc_buf_putc(&b, hi << 4 | lo);
            s += 2;
        } else {
            nc_buf_putc(&b, *s);
        }
    }
    return nc_buf_detach(&b, NULL);
}

/* ---- the tree ---- */

typedef struct conv {
    nc_xhtml *x;
    nc_buf *out;
    ids ids;
    bool in_notes; /* inside the footnotes section */
} conv;

static const char *attr_of(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content
                                                        : "";
    return NULL;
}

static bool has_attr(const xmlNode *n, const char *name)
{
    return attr_of(n, name) != NULL;
}

static const elem *elem_of(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE ? find_elem((const char *)n->name) : NULL;
}

static bool is_heading(const char *name)
{
    return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2];
}

static bool among(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

/* Elements whose content is phrasing only. */
static bool phrasing_box(const char *n)
{
    static const char *const l[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "b", "i",
                                    "em", "strong", "small", "s", "cite", "q", "dfn", "abbr",
                                    "code", "var", "samp", "kbd", "sub", "sup", "u", "mark",
                                    "bdi", "bdo", "time", "data", "summary", "label", "pre",
                                    "rb", "rt", "rp", "rtc", "ruby", "output", "meter",
                                    "progress", NULL};
    return among(n, l);
}

/* Elements that phrasing content cannot hold. */
static bool flow_only(const char *n)
{
    static const char *const l[] = {"address", "article", "aside", "blockquote", "details",
                                    "div", "dl", "figcaption", "figure", "footer", "h1", "h2",
                                    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "nav",
                                    "ol", "p", "pre", "section", "table", "ul", "li", "dd",
                                    "dt", "tr", "td", "th", "tbody", "thead", "tfoot",
                                    "caption", "colgroup", "col", "summary", NULL};
    return among(n, l);
}

static unsigned flags(const xmlNode *n)
{
    return (unsigned)(uintptr_t)n->_private;
}

static const char *out_name(const xmlNode *n)
{
    unsigned act = flags(n) & F_ACT;
    const elem *e = elem_of(n);
    switch (act) {
    case KEEP:
        return e ? e->name : NULL;
    case RENAME:
        return e ? e->to : NULL;
    case AS_SPAN:
        return "span";
    case AS_DIV:
        return "div";
    default:
        return NULL;
    }
}

static bool blank(const xmlNode *n)
{
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
        return true;
    if (n->type != XML_TEXT_NODE)
        return false;
    for (const xmlChar *p = n->content; p && *p; p++)
        if (!isspace(*p))
            return false;
    return true;
}

static bool is_elem(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The first pass: what becomes of each node where it stands, and every written element's
 * id, before anything is written, so that links can point at ids that come later. */
static void classify(conv *c, xmlNode *top)
{
    xmlNode *n = top->children;
    while (n) {
        bool down = false;
        unsigned pf = n->parent && n->parent != top ? flags(n->parent) : EFF_NONE << F_EFF_SHIFT;
        bool phr = pf & F_PHRASING;
        unsigned effi = (pf >> F_EFF_SHIFT) & 0xFF;
        const char *eff = effi == EFF_NONE ? "body" : elems[effi].name;
        unsigned f = 0, wrap = WRAP_NONE;
        if (n->type == XML_ELEMENT_NODE) {
            const elem *e = elem_of(n);
            unsigned act = e ? e->act : TEXT;
            const char *name = act == RENAME ? e->to : e ? e->name : "";
            if ((act == KEEP || act == RENAME) && phr && flow_only(name)) {
                act = strcmp(name, "hr") == 0 || strcmp(name, "col") == 0 ? SKIP : UNWRAP;
            } else if (act == KEEP || act == RENAME) {
                bool misplaced = false;
                if (strcmp(name, "li") == 0)
                    misplaced = strcmp(eff, "ul") && strcmp(eff, "ol");
                else if (strcmp(name, "dt") == 0 || strcmp(name, "dd") == 0)
                    misplaced = strcmp(eff, "dl") != 0;
                else if (strcmp(name, "figcaption") == 0)
                    misplaced = strcmp(eff, "figure") != 0;
                else if (strcmp(name, "summary") == 0) {
                    misplaced = strcmp(eff, "details") != 0;
                    for (xmlNode *p = n->prev; p && !misplaced; p = p->prev)
                        misplaced = !blank(p);
                }
                if (misplaced)
                    act = phr ? AS_SPAN : AS_DIV;
                static const char *const rows[] = {"table", "thead", "tbody", "tfoot", NULL};
                static const char *const parts[] = {"thead", "tbody", "tfoot", "caption",
                                                    "colgroup", NULL};
                if ((strcmp(name, "tr") == 0 && !among(eff, rows)) ||
                    ((strcmp(name, "td") == 0 || strcmp(name, "th") == 0) &&
                     strcmp(eff, "tr")) ||
                    (among(name, parts) && strcmp(eff, "table")))
                    act = UNWRAP;
                if (strcmp(name, "col") == 0 && strcmp(eff, "colgroup"))
                    act = SKIP;
            }
            f = act;
            n->_private = (void *)(uintptr_t)f;
            const char *w = out_name(n);
            if (w) {
                const char *id = attr_of(n, "id");
                if (!id && strcmp((const char *)n->name, "a") == 0)
                    id = attr_of(n, "name");
                if (id && *id && !strpbrk(id, " \t\n\r\f"))
                    n->psvi = new_id(&c->ids, id);
                else if (c->x->book && is_heading(w))
                    n->psvi = new_id(&c->ids, NULL);
                /* the context for the children */
                bool transparent = strcmp(w, "a") == 0 || strcmp(w, "del") == 0 ||
                                   strcmp(w, "ins") == 0;
                if (phrasing_box(w) || (transparent && phr))
                    f |= F_PHRASING;
                f |= (unsigned)(find_elem(w) - elems) << F_EFF_SHIFT;
                if (strcmp(w, "details") == 0) {
                    xmlNode *k = n->children;
                    while (k && blank(k))
                        k = k->next;
                    if (!is_elem(k, "summary"))
                        f |= F_SUMMARY;
                }
            } else {
                f |= (phr ? F_PHRASING : 0) | effi << F_EFF_SHIFT;
            }
            down = act != SKIP && act != IFRAME;
        }
        /* what the container cannot hold goes into something it can */
        bool shows = n->type == XML_ELEMENT_NODE ? (f & F_ACT) != SKIP && (f & F_ACT) != UNWRAP
                                                 : n->type == XML_TEXT_NODE && !blank(n);
        const char *w = n->type == XML_ELEMENT_NODE ? out_name(n) : NULL;
        if (shows) {
            if ((!strcmp(eff, "ul") || !strcmp(eff, "ol")) && !(w && !strcmp(w, "li")))
                wrap = WRAP_LI;
            else if (!strcmp(eff, "dl") && !(w && (!strcmp(w, "dt") || !strcmp(w, "dd")))) {
                /* a dd only after a dt: the first loose thing is the term */
                xmlNode *p = n->prev;
                while (p && blank(p))
                    p = p->prev;
                wrap = p ? WRAP_DD : WRAP_DT;
            }
            else if (!strcmp(eff, "tr") && !(w && (!strcmp(w, "td") || !strcmp(w, "th"))))
                wrap = WRAP_TD;
            else if (among(eff, (const char *const[]){"table", "thead", "tbody", "tfoot", NULL}) &&
                     !(w && among(w, (const char *const[]){"tr", "thead", "tbody", "tfoot",
                                                           "caption", "colgroup", NULL})))
                wrap = WRAP_TR;
        }
        if (wrap && n->type == XML_ELEMENT_NODE && (f & F_ACT) == TEXT) {
            /* its content goes in the wrapper too */
            static const char *const inner[] = {"", "li", "dd", "td", "td", "dt"};
            f = (f & ~(F_PHRASING | 0xFFu << F_EFF_SHIFT)) |
                (unsigned)(find_elem(inner[wrap]) - elems) << F_EFF_SHIFT;
        }
        f |= wrap << F_WRAP_SHIFT;
        n->_private = (void *)(uintptr_t)f;
        if (down && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        n = n && n != top ? n->next : NULL;
    }
}

static bool is_remote(const char *u)
{
    size_t i = 0;
    if (u[0] == '/' && u[1] == '/')
        return true;
    while (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.')
        i++;
    return i > 1 && u[i] == ':' && isalpha((unsigned char)u[0]);
}

static bool bad_scheme(const char *u)
{
    while (isspace((unsigned char)*u))
        u++;
    return strncasecmp(u, "javascript:", 11) == 0 || strncasecmp(u, "vbscript:", 9) == 0 ||
           strncasecmp(u, "data:text/html", 14) == 0;
}

/* A URL as an attribute: what is not allowed in one is percent-encoded. */
static void put_url(nc_buf *b, const char *u)
{
    static const char hex[] = "0123456789ABCDEF";
    while (isspace((unsigned char)*u))
        u++;
    size_t n = strlen(u);
    while (n && isspace((unsigned char)u[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)u[i];
        if (ch <= 0x20 || ch >= 0x7F || strchr("\"<>\\^`{|}", ch)) {
            nc_buf_putc(b, '%');
            nc_buf_putc(b, hex[ch >> 4]);
            nc_buf_putc(b, hex[ch & 15]);
        } else if (ch == '&') {
            nc_buf_puts(b, "&amp;");
        } else if (ch == '%' && !(i + 2 < n && hexv(u[i + 1]) >= 0 && hexv(u[i + 2]) >= 0)) {
            nc_buf_puts(b, "%25");
        } else {
            nc_buf_putc(b, (char)ch);
        }
    }
}

static void put_attr(nc_buf *b, const char *k, const char *v)
{
    nc_buf_putc(b, ' ');
    nc_buf_puts(b, k);
    nc_buf_puts(b, "=\"");
    esc0(b, v, true);
    nc_buf_putc(b, '"');
}

static bool digits(const char *v)
{
    if (!*v)
        return false;
    for (; *v; v++)
        if (*v < '0' || *v > '9')
            return false;
    return true;
}

static bool in_list(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(v, *list) == 0)
            return true;
    return false;
}

/* The attributes an element keeps: HTML5's for that element, values checked. */
static void attrs(conv *c, const xmlNode *n, const char *name)
{
    static const char *const global[] = {"class", "title", "dir", "hidden", "tabindex", "role",
                                         "translate", NULL};
    static const char *const booleans[] = {"checked", "disabled", "open", "reversed", "hidden",
                                           "readonly", NULL};
    nc_buf *b = c->out;
    if (n->psvi)
        put_attr(b, "id", n->psvi);
    nc_buf style = NC_BUF_INIT;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *k = (const char *)a->name;
        const char *v = a->children && a->children->content ? (const char *)a->children->content
                                                            : "";
        bool ok = false;
        if (strcmp(k, "id") == 0 || strcmp(k, "name") == 0 || strncasecmp(k, "on", 2) == 0 ||
            strcmp(k, "xml:lang") == 0)
            continue;
        if (strcmp(k, "style") == 0) {
            if (style.len)
                nc_buf_putc(&style, ';');
            nc_buf_puts(&style, v);
            continue;
        }
        if ((strcmp(k, "align") == 0 || strcmp(k, "valign") == 0) && strcmp(name, "img")) {
            static const char *const aligns[] = {"left", "right", "center", "justify", "top",
                                                 "middle", "bottom", "baseline", NULL};
            if (in_list(v, aligns)) {
                if (style.len)
                    nc_buf_putc(&style, ';');
                nc_buf_printf(&style, "%s:%s", k[0] == 'a' ? "text-align" : "vertical-align", v);
            }
            continue;
        }
        if (strcmp(k, "lang") == 0) {
            if (*v) {
                put_attr(b, "lang", v);
                put_attr(b, "xml:lang", v);
            }
            continue;
        }
        if (strncmp(k, "data-", 5) == 0 || strncmp(k, "aria-", 5) == 0) {
            /* an XML name, and no uppercase: HTML lowercases them */
            bool good = k[5] != '\0';
            for (const char *p = k; *p && good; p++)
                good = isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.';
            for (const char *p = k; *p && good; p++)
                good = !(*p >= 'A' && *p <= 'Z');
            if (good)
                put_attr(b, k, v);
            continue;
        }
        if (in_list(k, booleans)) {
            static const char *const where[] = {"input", "details", "ol", NULL};
            if (strcmp(k, "hidden") == 0 || in_list(name, where))
                put_attr(b, k, k);
            continue;
        }
        if (in_list(k, global)) {
            ok = strcmp(k, "tabindex") != 0 || digits(v[0] == '-' ? v + 1 : v);
            if (strcmp(k, "dir") == 0) {
                static const char *const dirs[] = {"ltr", "rtl", "auto", NULL};
                ok = in_list(v, dirs);
            }
            if (ok)
                put_attr(b, k, v);
            continue;
        }
        if (strcmp(k, "href") == 0 || strcmp(k, "src") == 0 || strcmp(k, "cite") == 0) {
            bool href = strcmp(k, "href") == 0;
            if ((href && strcmp(name, "a")) || (!href && strcmp(k, "src") == 0) ||
                bad_scheme(v))
                continue; /* img src is written by img() */
            if (strcmp(k, "cite") == 0 && !in_list(name, (const char *const[]){
                                                             "blockquote", "q", "del", "ins",
                                                             NULL}))
                continue;
            if (v[0] == '#') {
                char *frag = unpercent(v + 1);
                const char *to = map_get(&c->ids.map, frag);
                free(frag);
                if (to) {
                    nc_buf_puts(b, " href=\"#");
                    esc0(b, to, true);
                    nc_buf_putc(b, '"');
                }
                continue;
            }
            if (c->x->book && !is_remote(v))
                continue; /* the book holds no such file */
            nc_buf_printf(b, " %s=\"", k);
            put_url(b, v);
            nc_buf_putc(b, '"');
            continue;
        }
        if (strcmp(name, "a") == 0) {
            ok = strcmp(k, "target") == 0 || strcmp(k, "rel") == 0 || strcmp(k, "hreflang") == 0 ||
                 strcmp(k, "type") == 0;
        } else if (strcmp(name, "img") == 0) {
            ok = (strcmp(k, "width") == 0 || strcmp(k, "height") == 0) && digits(v);
        } else if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
            ok = ((strcmp(k, "colspan") == 0 || strcmp(k, "rowspan") == 0) && digits(v) &&
                  atoi(v) > 0) ||
                 strcmp(k, "headers") == 0 ||
                 (name[1] == 'h' && (strcmp(k, "abbr") == 0 ||
                                     (strcmp(k, "scope") == 0 &&
                                      in_list(v, (const char *const[]){"row", "col", "rowgroup",
                                                                       "colgroup", NULL}))));
        } else if (strcmp(name, "ol") == 0) {
            ok = (strcmp(k, "start") == 0 && digits(v[0] == '-' ? v + 1 : v)) ||
                 (strcmp(k, "type") == 0 && strlen(v) == 1 && strchr("1aAiI", v[0]));
        } else if (strcmp(name, "li") == 0) {
            ok = strcmp(k, "value") == 0 && digits(v[0] == '-' ? v + 1 : v);
        } else if (strcmp(name, "col") == 0 || strcmp(name, "colgroup") == 0) {
            ok = strcmp(k, "span") == 0 && digits(v) && atoi(v) > 0;
        } else if (strcmp(name, "time") == 0 || strcmp(name, "del") == 0 ||
                   strcmp(name, "ins") == 0) {
            ok = strcmp(k, "datetime") == 0;
        } else if (strcmp(name, "data") == 0) {
            ok = strcmp(k, "value") == 0;
        } else if (strcmp(name, "input") == 0) {
            ok = (strcmp(k, "type") == 0 &&
                  in_list(v, (const char *const[]){"checkbox", "radio", "text", NULL})) ||
                 strcmp(k, "value") == 0;
        } else if (strcmp(name, "meter") == 0 || strcmp(name, "progress") == 0) {
            ok = in_list(k, (const char *const[]){"value", "min", "max", "low", "high",
                                                  "optimum", NULL});
        }
        if (ok)
            put_attr(b, k, v);
    }
    if (style.len)
        put_attr(b, "style", nc_buf_cstr(&style));
    nc_buf_free(&style);
}

static void open_tag(conv *c, const xmlNode *n, const char *name)
{
    nc_buf *b = c->out;
    nc_buf_putc(b, '<');
    nc_buf_puts(b, name);
    attrs(c, n, name);
    /* the footnotes: EPUB reading systems show them as pop-ups */
    if (strcmp(name, "a") == 0 && has_attr(n, "data-footnote-ref"))
        nc_buf_puts(b, " epub:type=\"noteref\"");
    else if (strcmp(name, "a") == 0 && has_attr(n, "data-footnote-backref"))
        nc_buf_puts(b, " epub:type=\"backlink\"");
    else if (strcmp(name, "section") == 0 && has_attr(n, "data-footnotes"))
        nc_buf_puts(b, " epub:type=\"footnotes\"");
    else if (strcmp(name, "li") == 0 && c->in_notes && n->parent && n->parent->parent &&
             n->parent->parent->name &&
             strcmp((const char *)n->parent->parent->name, "section") == 0 &&
             has_attr(n->parent->parent, "data-footnotes"))
        nc_buf_puts(b, " epub:type=\"footnote\"");
    nc_buf_puts(b, is_void(name) ? " />" : ">");
}

/* The text of an element's descendants, white space runs as one space, none at the ends. */
static void text_of(const xmlNode *top, nc_buf *t)
{
    bool space = false;
    const xmlNode *n = top->children;
    while (n) {
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            for (const xmlChar *p = n->content; *p; p++) {
                if (isspace(*p)) {
                    space = t->len > 0;
                    continue;
                }
                if (space)
                    nc_buf_putc(t, ' ');
                space = false;
                nc_buf_putc(t, (char)*p);
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        n = n && n != top ? n->next : NULL;
    }
}

static void add_head(nc_xhtml *x, int level, const char *id, const xmlNode *n)
{
    if (x->nheads == x->capheads) {
        x->capheads = x->capheads ? 2 * x->capheads : 16;
        x->heads = nc_xrealloc(x->heads, x->capheads * sizeof *x->heads);
    }
    nc_buf t = NC_BUF_INIT;
    text_of(n, &t);
    nc_xhtml_head *h = &x->heads[x->nheads++];
    h->level = level;
    h->id = nc_xstrdup(id);
    h->text = nc_buf_detach(&t, NULL);
    if (!h->text)
        h->text = nc_xstrdup("");
}

/* An <img>: its source through the callback; none left: the alt text. */
static bool img(conv *c, const xmlNode *n)
{
    const char *src = attr_of(n, "src");
    const char *alt = attr_of(n, "alt");
    char *to = NULL;
    if (src && *src && !bad_scheme(src)) {
        if (c->x->book && is_remote(src)) {
            /* no network resources in a book: a link to the picture */
            nc_buf_puts(c->out, "<a href=\"");
            put_url(c->out, src);
            nc_buf_puts(c->out, "\">");
            esc0(c->out, alt && *alt ? alt : src, false);
            nc_buf_puts(c->out, "</a>");
            return true;
        }
        to = c->x->image ? c->x->image(c->x->user, src) : nc_xstrdup(src);
    }
    if (!to) {
        if (alt)
            esc0(c->out, alt, false);
        return true;
    }
    nc_buf_puts(c->out, "<img src=\"");
    put_url(c->out, to);
    nc_buf_puts(c->out, "\" alt=\"");
    esc0(c->out, alt ? alt : "", true);
    nc_buf_putc(c->out, '"');
    free(to);
    /* the rest of the attributes, minus src and alt */
    nc_buf rest = NC_BUF_INIT;
    nc_buf *save = c->out;
    c->out = &rest;
    attrs(c, n, "img");
    c->out = save;
    nc_buf_put(c->out, rest.ptr ? rest.ptr : "", rest.len);
    nc_buf_free(&rest);
    nc_buf_puts(c->out, " />");
    return true;
}

/* The start of an element; false when its content is not to be written. */
static bool enter(conv *c, xmlNode *n)
{
    nc_buf *b = c->out;
    static const char *const wrap_open[] = {"", "<li>", "<dd>", "<td>", "<tr><td>", "<dt>"};
    unsigned wrap = (flags(n) >> F_WRAP_SHIFT) & 7;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        nc_buf_puts(b, wrap_open[wrap]);
        if (n->content)
            esc0(b, (const char *)n->content, false);
        return false;
    }
    if (n->type != XML_ELEMENT_NODE)
        return false; /* comments, processing instructions */
    unsigned act = flags(n) & F_ACT;
    const char *name = (const char *)n->name;
    if (act != SKIP && act != UNWRAP)
        nc_buf_puts(b, wrap_open[wrap]);
    switch (act) {
    case SKIP:
        return false;
    case UNWRAP:
        return true;
    case TEXT:
        nc_buf_puts(b, "&lt;");
        esc0(b, name, false);
        for (const xmlAttr *a = n->properties; a; a = a->next) {
            nc_buf_putc(b, ' ');
            esc0(b, (const char *)a->name, false);
            if (a->children && a->children->content && *a->children->content) {
                nc_buf_puts(b, "=\"");
                esc0(b, (const char *)a->children->content, false);
                nc_buf_putc(b, '"');
            }
        }
        nc_buf_puts(b, "&gt;");
        return true;
    case IFRAME: {
        const char *src = attr_of(n, "src");
        if (src && is_remote(src) && !bad_scheme(src)) {
            nc_buf_puts(b, "<a href=\"");
            put_url(b, src);
            nc_buf_puts(b, "\">");
            const char *title = attr_of(n, "title");
            esc0(b, title && *title ? title : src, false);
            nc_buf_puts(b, "</a>");
        }
        return false;
    }
    default:
        break;
    }
    name = out_name(n);
    if (strcmp(name, "img") == 0)
        return !img(c, n);
    if (strcmp(name, "section") == 0 && has_attr(n, "data-footnotes"))
        c->in_notes = true;
    open_tag(c, n, name);
    if (flags(n) & F_SUMMARY)
        nc_buf_puts(b, "<summary>…</summary>");
    if (is_heading(name) && n->psvi && !c->in_notes)
        add_head(c->x, name[1] - '0', n->psvi, n);
    return !is_void(name);
}

static void leave(conv *c, xmlNode *n)
{
    static const char *const wrap_close[] = {"", "</li>", "</dd>", "</td>", "</td></tr>",
                                             "</dt>"};
    unsigned wrap = (flags(n) >> F_WRAP_SHIFT) & 7;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        nc_buf_puts(c->out, wrap_close[wrap]);
    if (n->type != XML_ELEMENT_NODE)
        return;
    unsigned act = flags(n) & F_ACT;
    const char *name = out_name(n);
    if (name && !is_void(name)) {
        if (strcmp(name, "section") == 0 && has_attr(n, "data-footnotes"))
            c->in_notes = false;
        nc_buf_puts(c->out, "</");
        nc_buf_puts(c->out, name);
        nc_buf_putc(c->out, '>');
    }
    if (act != SKIP && act != UNWRAP)
        nc_buf_puts(c->out, wrap_close[wrap]);
}

static void write_tree(conv *c, xmlNode *top)
{
    xmlNode *n = top->children;
    while (n) {
        if (enter(c, n) && n->children) {
            n = n->children;
            continue;
        }
        /* n is done (a leaf, or skipped): close it and the parents it was the last of */
        for (;;) {
            leave(c, n);
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n || n == top) {
                n = NULL;
                break;
            }
        }
    }
}

static void free_psvi(xmlNode *top)
{
    xmlNode *n = top;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            free(n->psvi);
            n->psvi = NULL;
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        n = n && n != top ? n->next : NULL;
    }
}

/* The parser always makes html > body. */
static xmlNode *find_body(xmlNode *n)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "html") == 0)
            break;
    for (n = n ? n->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "body") == 0)
            return n;
    return NULL;
}

static void write_body(nc_xhtml *x, xmlNode *body, nc_buf *out)
{
    conv c = {.x = x, .out = out};
    classify(&c, body);
    write_tree(&c, body);
    free_psvi(body);
    map_free(&c.ids.map, true);
    map_free(&c.ids.used, false);
}

int nc_xhtml_body(nc_doc *doc, nc_node *blocks, const nc_options *opt, nc_xhtml *x,
                  nc_buf *out, nc_diag *diag)
{
    NC_UNUSED(doc);
    bool raw = scan_tree(blocks, diag);

    /* The HTML writer renders a document's root: lend it the blocks for a moment. */
    nc_options o;
    nc_options_init(&o);
    if (opt)
        o = *opt;
    o.standalone = false;
    nc_doc *tmp = nc_doc_new();
    nc_node_move_children(blocks, nc_doc_root(tmp));
    nc_buf html = NC_BUF_INIT;
    int rc = nc_writer_html.render(tmp, &o, &html, diag);
    nc_node_move_children(nc_doc_root(tmp), blocks);
    nc_doc_free(tmp);
    if (rc != 0) {
        nc_buf_free(&html);
        return -1;
    }
    if (html.len == 0) {
        nc_buf_free(&html);
        return 0;
    }
    if (html.len > INT32_MAX) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "the document is too large for XHTML");
        nc_buf_free(&html);
        return -1;
    }

    /* the HTML writer's own HTML alone: read here, libxml2 stays unloaded */
    nc_xtree *own = NULL;
    xmlNode *body = !raw && !x->libxml2 ? nc_xhtml_own_read(html.ptr, html.len, &own) : NULL;
    if (body) {
        nc_buf_free(&html);
        write_body(x, body, out);
        nc_xtree_free(own);
        nc_buf_terminate(out);
        return 0;
    }
    x->read_by_libxml2 = true;
    pthread_once(&xml_once, xml_init);
    if (!lx.ok) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "cannot load libxml2 (libxml2.so.2), which XHTML and EPUB need: %s",
                       "install it (Debian: libxml2)");
        nc_buf_free(&html);
        return -1;
    }
    htmlParserCtxtPtr ctxt = lx.htmlNewParserCtxt();
    if (!ctxt) {
        nc_buf_free(&html);
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "libxml2 could not start its HTML parser");
        return -1;
    }
    /* errors are the broken HTML we are here to mend: never printed */
    ctxt->sax->error = NULL;
    ctxt->sax->warning = NULL;
    ctxt->sax->serror = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;
    xmlDocPtr xd = lx.htmlCtxtReadMemory(ctxt, html.ptr, (int)html.len, NULL, "UTF-8",
                                      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                          HTML_PARSE_NONET | HTML_PARSE_NODEFDTD |
                                          HTML_PARSE_COMPACT);
    lx.htmlFreeParserCtxt(ctxt);
    nc_buf_free(&html);
    body = xd ? find_body(xd->children) : NULL;
    if (body)
        write_body(x, body, out);
    if (xd)
        lx.xmlFreeDoc(xd);
    nc_buf_terminate(out);
    return 0;
}

void nc_xhtml_free(nc_xhtml *x)
{
    for (size_t i = 0; i < x->nheads; i++) {
        free(x->heads[i].id);
        free(x->heads[i].text);
    }
    free(x->heads);
    x->heads = NULL;
    x->nheads = x->capheads = 0;
}

/* ---- pages ---- */

static const char default_template[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE html>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" "
    "lang=\"$lang$\" xml:lang=\"$lang$\">\n"
    "<head>\n"
    "<meta charset=\"UTF-8\" />\n"
    "<title>$pagetitle$</title>\n"
    "$for(author-meta)$\n"
    "<meta name=\"author\" content=\"$author-meta$\" />\n"
    "$endfor$\n"
    "$if(stylesheet)$\n"
    "<style>\n"
    "$stylesheet$"
    "</style>\n"
    "$endif$\n"
    "$for(css)$\n"
    "<link rel=\"stylesheet\" type=\"text/css\" href=\"$css$\" />\n"
    "$endfor$\n"
    "</head>\n"
    "<body>\n"
    "$if(title)$\n"
    "<header class=\"title-block\">\n"
    "<h1 class=\"title\">$title$</h1>\n"
    "$if(subtitle)$\n"
    "<p class=\"subtitle\">$subtitle$</p>\n"
    "$endif$\n"
    "$for(author)$\n"
    "<p class=\"author\">$author$</p>\n"
    "$endfor$\n"
    "$if(date)$\n"
    "<p class=\"date\">$date$</p>\n"
    "$endif$\n"
    "</header>\n"
    "$endif$\n"
    "$body$"
    "</body>\n"
    "</html>\n";

nc_template *nc_xhtml_template(const nc_options *opt, nc_diag *diag)
{
    if (opt && opt->template_path) {
        char *text;
        size_t len;
        if (nc_read_file(opt->template_path, &text, &len, 0, diag) != 0)
            return NULL;
        nc_template *t = nc_template_parse(text, len, opt->template_path, diag);
        free(text);
        return t;
    }
    return nc_template_parse(default_template, sizeof default_template - 1, "default.xhtml",
                             diag);
}

/* A value for the template: text escaped, inlines and blocks as their plain text. */
static nc_meta *text_meta(nc_doc *tmp, const nc_meta *m)
{
    nc_meta *c;
    nc_buf t = NC_BUF_INIT, e = NC_BUF_INIT;
    switch (m->kind) {
    case NC_META_LIST:
        c = nc_meta_new(tmp, NC_META_LIST);
        for (size_t i = 0; i < m->n; i++)
            nc_meta_push(tmp, c, text_meta(tmp, m->items[i]));
        return c;
    case NC_META_MAP:
        c = nc_meta_new(tmp, NC_META_MAP);
        for (size_t i = 0; i < m->n; i++)
            nc_meta_set(tmp, c, m->keys[i], text_meta(tmp, m->items[i]));
        return c;
    case NC_META_BOOL:
        return nc_meta_copy(tmp, m);
    default:
        nc_meta_text(m, &t);
        nc_xml_escape(&e, nc_buf_cstr(&t), t.len, true);
        c = nc_meta_new_string(tmp, nc_buf_cstr(&e), e.len);
        c->kind = m->kind == NC_META_NUMBER ? NC_META_NUMBER : NC_META_STRING;
        nc_buf_free(&t);
        nc_buf_free(&e);
        return c;
    }
}

static nc_meta *str(nc_doc *tmp, const char *s, bool escape)
{
    nc_buf e = NC_BUF_INIT;
    if (escape)
        esc0(&e, s, true);
    else
        nc_buf_puts(&e, s);
    nc_meta *m = nc_meta_new_string(tmp, nc_buf_cstr(&e), e.len);
    nc_buf_free(&e);
    return m;
}

void nc_xhtml_context(nc_doc *tmp, const nc_meta *meta, const nc_options *opt, const char *lang,
                      const char *pagetitle, const nc_buf *body)
{
    nc_meta *ctx = nc_doc_meta(tmp);
    for (size_t i = 0; meta && i < meta->n; i++)
        nc_meta_set(tmp, ctx, meta->keys[i], text_meta(tmp, meta->items[i]));
    nc_meta *bm = nc_meta_new(tmp, NC_META_STRING);
    bm->str = nc_buf_cstr(body);
    bm->len = body->len;
    nc_meta_set(tmp, ctx, "body", bm);
    nc_meta_set(tmp, ctx, "lang", str(tmp, lang, true));
    nc_meta_set(tmp, ctx, "pagetitle", str(tmp, pagetitle, true));
    const nc_meta *author = nc_meta_get(ctx, "author");
    if (author) {
        nc_meta *am = nc_meta_new(tmp, NC_META_LIST);
        if (author->kind == NC_META_LIST) {
            for (size_t i = 0; i < author->n; i++) {
                const nc_meta *a = author->items[i];
                if (a->kind == NC_META_MAP)
                    a = nc_meta_get(a, "name");
                if (a)
                    nc_meta_push(tmp, am, nc_meta_copy(tmp, a));
            }
        } else if (author->kind == NC_META_MAP) {
            if (nc_meta_get(author, "name"))
                nc_meta_push(tmp, am, nc_meta_copy(tmp, nc_meta_get(author, "name")));
        } else {
            nc_meta_push(tmp, am, nc_meta_copy(tmp, author));
        }
        nc_meta_set(tmp, ctx, "author", am);
        nc_meta_set(tmp, ctx, "author-meta", nc_meta_copy(tmp, am));
    }
    if (opt && opt->ncss) {
        nc_meta *css = nc_meta_new(tmp, NC_META_LIST);
        for (size_t i = 0; i < opt->ncss; i++) {
            nc_buf u = NC_BUF_INIT;
            put_url(&u, opt->css[i]);
            nc_meta_push(tmp, css, nc_meta_new_string(tmp, nc_buf_cstr(&u), u.len));
            nc_buf_free(&u);
        }
        nc_meta_set(tmp, ctx, "css", css);
    }
    for (size_t i = 0; opt && i < opt->nvars; i++) {
        const char *v = opt->vars[i].value;
        nc_meta_set(tmp, ctx, opt->vars[i].key, str(tmp, v ? v : "true", false));
    }
}

/* ---- the writer ---- */

static const char *page_title(nc_doc *doc, nc_buf *t, const nc_xhtml *x)
{
    const nc_meta *title = nc_meta_get(nc_doc_meta(doc), "title");
    if (nc_meta_truthy(title))
        nc_meta_text(title, t);
    else if (x->nheads)
        nc_buf_puts(t, x->heads[0].text);
    if (!t->len) {
        const char *path = nc_doc_path(doc);
        const char *base = path && strcmp(path, "-") ? strrchr(path, '/') : NULL;
        base = base ? base + 1 : path && strcmp(path, "-") ? path : "Untitled";
        const char *dot = strrchr(base, '.');
        nc_buf_put(t, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    }
    return nc_buf_cstr(t);
}

static int render(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    nc_xhtml x = {0};
    bool standalone = opt && opt->standalone;
    nc_template *t = NULL;
    if (standalone && !(t = nc_xhtml_template(opt, diag)))
        return -1;
    nc_buf body = NC_BUF_INIT;
    int rc = nc_xhtml_body(doc, nc_doc_root(doc), opt, &x, &body, diag);
    if (rc == 0 && !standalone) {
        nc_buf_put(out, body.ptr ? body.ptr : "", body.len);
    } else if (rc == 0) {
        nc_doc *tmp = nc_doc_new();
        nc_buf title = NC_BUF_INIT;
        nc_xhtml_context(tmp, nc_doc_meta(doc), opt, nc_doc_lang(doc),
                         page_title(doc, &title, &x), &body);
        nc_meta *ctx = nc_doc_meta(tmp);
        if (!opt->ncss && !nc_meta_get(ctx, "stylesheet"))
            nc_meta_set(tmp, ctx, "stylesheet", str(tmp, nc_xhtml_css, false));
        nc_template_render(t, ctx, out);
        nc_buf_free(&title);
        nc_doc_free(tmp);
    }
    nc_buf_grow(out, 0);
    out->ptr[out->len] = '\0';
    nc_buf_free(&body);
    nc_template_free(t);
    nc_xhtml_free(&x);
    return rc;
}

const nc_writer nc_writer_xhtml = {
    "xhtml", ".xhtml", "XHTML5 as EPUB 3 expects it (a fragment, or a page with -s)", false,
    render,
};
