/* xhtml_own.c — the HTML writer's own output read into the tree libxml2's HTML parser would
 * build from it, without libxml2. A note with no raw HTML is written by the HTML writer alone,
 * in a small and regular subset of HTML: known elements closed in order, attributes in double
 * quotes, five entities. For that subset libxml2's tree is the plain one (no implied or
 * auto-closed elements, every character kept), so it is built here in one pass, and a book
 * of such notes never loads libxml2 with ICU and the C++ runtime behind it (3 ms of a 10 ms
 * conversion). Anything outside the subset returns NULL and the caller asks libxml2: the
 * output is the same either way, which tests/unit/test_xhtml_own.c checks note by note. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "writer/xhtml.h"

/* Deeper documents go to libxml2, whose limits then apply as before. */
#define OWN_MAX_DEPTH 200

typedef struct blk {
    struct blk *next;
    size_t used, cap;
    size_t pad;
} blk;

struct nc_xtree {
    blk *blocks;
    char *text; /* decoded text and attribute names and values, NUL-terminated each */
    size_t ntext;
    xmlNode body;
};

static void *zalloc(nc_xtree *t, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    blk *b = t->blocks;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 32768 ? n : 32768;
        b = nc_xmalloc(sizeof *b + cap);
        b->next = t->blocks;
        b->used = 0;
        b->cap = cap;
        t->blocks = b;
    }
    void *p = (char *)(b + 1) + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void nc_xtree_free(nc_xtree *t)
{
    if (!t)
        return;
    for (blk *b = t->blocks, *nb; b; b = nb) {
        nb = b->next;
        free(b);
    }
    free(t->text);
    free(t);
}

/* The elements the HTML writer writes, sorted for bsearch, and whether each is void. Any
 * other name (script, style, title, unknown ones) is left to libxml2. */
static const struct known {
    const char *name;
    bool empty;
} known[] = {
    {"a", 0},       {"abbr", 0},    {"b", 0},      {"blockquote", 0}, {"br", 1},
    {"caption", 0}, {"cite", 0},    {"code", 0},   {"col", 1},        {"colgroup", 0},
    {"dd", 0},      {"del", 0},     {"div", 0},    {"dl", 0},         {"dt", 0},
    {"em", 0},      {"figcaption", 0}, {"figure", 0}, {"h1", 0},      {"h2", 0},
    {"h3", 0},      {"h4", 0},      {"h5", 0},     {"h6", 0},         {"hr", 1},
    {"i", 0},       {"img", 1},     {"input", 1},  {"ins", 0},        {"kbd", 0},
    {"li", 0},      {"mark", 0},    {"nav", 0},    {"ol", 0},         {"p", 0},
    {"pre", 0},     {"q", 0},       {"s", 0},      {"samp", 0},       {"section", 0},
    {"small", 0},   {"span", 0},    {"strong", 0}, {"sub", 0},        {"sup", 0},
    {"table", 0},   {"tbody", 0},   {"td", 0},     {"tfoot", 0},      {"th", 0},
    {"thead", 0},   {"tr", 0},      {"u", 0},      {"ul", 0},         {"var", 0},
};

static int known_cmp(const void *key, const void *e)
{
    return strcmp(key, ((const struct known *)e)->name);
}

/* Start tags that make libxml2 close the element open before them (HTML 4's omitted end
 * tags), for the elements above: "open: new new ...". The HTML writer never writes such a
 * pair; meeting one means the HTML is not its own, and libxml2 reads it. */
static const char *const closers[] = {
    "a: a table td th",
    "b: p td th",
    "caption: col colgroup tbody tfoot thead tr",
    "col: col colgroup tbody tfoot thead tr",
    "colgroup: colgroup tbody tfoot thead tr",
    "dd: dt",
    "dl: li",
    "dt: dd dl",
    "h1: li p table",
    "h2: li p table",
    "h3: li p table",
    "h4: li p table",
    "h5: li p table",
    "h6: li p table",
    "i: p td th",
    "li: li",
    ("p: blockquote caption col colgroup dd div dl dt h1 h2 h3 h4 h5 h6 hr li ol p pre table "
     "tbody td tfoot th tr ul"),
    "pre: dd dl dt li table ul",
    "s: p",
    "small: p",
    "span: td th",
    "tbody: tbody tfoot",
    "td: tbody td tfoot th tr",
    "tfoot: tbody",
    "th: tbody td tfoot th tr",
    "thead: tbody tfoot",
    "tr: tbody tfoot tr",
    "u: p td th",
    "ul: pre",
};

static bool closes(const char *open, const char *tag)
{
    size_t ol = strlen(open), tl = strlen(tag);
    for (size_t i = 0; i < sizeof closers / sizeof closers[0]; i++) {
        const char *c = closers[i];
        if (strncmp(c, open, ol) != 0 || c[ol] != ':')
            continue;
        for (const char *p = c + ol + 1; *p;) {
            while (*p == ' ')
                p++;
            const char *e = p;
            while (*e && *e != ' ')
                e++;
            if ((size_t)(e - p) == tl && memcmp(p, tag, tl) == 0)
                return true;
            p = e;
        }
        return false;
    }
    return false;
}

/* Characters libxml2 would complain about or change: bytes that are not UTF-8, controls
 * other than tab and newline (a carriage return included: it would be normalised), NUL,
 * U+FFFE and U+FFFF. */
static bool plain_text(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        if (c < 0x80) {
            if (c != '\n' && c != '\t')
                return false;
            i++;
            continue;
        }
        int32_t cp;
        int l = nc_utf8_decode((const char *)s + i, n - i, &cp);
        if (l <= 0 || cp == 0xFFFE || cp == 0xFFFF)
            return false;
        i += (size_t)l;
    }
    return true;
}

/* s[*i..] up to stop (or the end when stop is 0) into the text store with the writer's five
 * entities decoded; false on any other '&', on '<' (and on '"' in text). */
static bool decode(nc_xtree *t, const char *s, size_t n, size_t *i, char stop, char **out)
{
    char *o = t->text + t->ntext;
    *out = o;
    size_t k = *i;
    while (k < n && s[k] != stop && s[k] != '<') {
        size_t run = k;
        while (k < n && s[k] != stop && s[k] != '<' && s[k] != '&')
            k++;
        memcpy(o, s + run, k - run);
        o += k - run;
        if (k >= n || s[k] != '&')
            break;
        static const struct {
            const char *ent;
            char ch;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
                    {"&#x27;", '\''}};
        size_t e = 0;
        while (e < sizeof ents / sizeof ents[0]) {
            size_t el = strlen(ents[e].ent);
            if (n - k >= el && memcmp(s + k, ents[e].ent, el) == 0) {
                *o++ = ents[e].ch;
                k += el;
                break;
            }
            e++;
        }
        if (e == sizeof ents / sizeof ents[0])
            return false;
    }
    if (stop ? k >= n || s[k] != stop : k < n && s[k] != '<')
        return false;
    *o++ = '\0';
    t->ntext = (size_t)(o - t->text);
    *i = k;
    return true;
}

static void append(xmlNode *parent, xmlNode *n)
{
    n->parent = parent;
    n->prev = parent->last;
    if (parent->last)
        parent->last->next = n;
    else
        parent->children = n;
    parent->last = n;
}

static bool name_start(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* The attributes of a start tag from s[*i] (after its name) to its '>' or "/>". */
static bool attributes(nc_xtree *t, const char *s, size_t n, size_t *i, xmlNode *el,
                       bool *selfclose)
{
    size_t k = *i;
    xmlAttr *last = NULL;
    for (;;) {
        if (k < n && s[k] == '>') {
            *selfclose = false;
            break;
        }
        if (n - k >= 2 && s[k] == '/' && s[k + 1] == '>') {
            *selfclose = true;
            k++;
            break;
        }
        if (k >= n || s[k] != ' ')
            return false;
        k++;
        if (n - k >= 2 && s[k] == '/' && s[k + 1] == '>') {
            *selfclose = true; /* "<br />" */
            k++;
            break;
        }
        if (k >= n || !name_start(s[k]))
            return false;
        size_t a = k;
        while (k < n && name_char(s[k]))
            k++;
        if (k - a > 90)
            return false;
        for (xmlAttr *p = el->properties; p; p = p->next)
            if (strlen((const char *)p->name) == k - a && memcmp(p->name, s + a, k - a) == 0)
                return false; /* libxml2 keeps the first of two: not the writer's */
        xmlAttr *at = zalloc(t, sizeof *at);
        at->type = XML_ATTRIBUTE_NODE;
        char *nm = t->text + t->ntext;
        memcpy(nm, s + a, k - a);
        nm[k - a] = '\0';
        t->ntext += k - a + 1;
        at->name = (const xmlChar *)nm;
        at->parent = el;
        if (k < n && s[k] == '=') {
            if (k + 1 >= n || s[k + 1] != '"')
                return false;
            k += 2;
            char *v;
            if (!decode(t, s, n, &k, '"', &v))
                return false;
            k++; /* the closing quote */
            xmlNode *val = zalloc(t, sizeof *val);
            val->type = XML_TEXT_NODE;
            val->name = (const xmlChar *)"text";
            val->content = (xmlChar *)v;
            val->parent = (xmlNode *)at;
            at->children = at->last = val;
        }
        if (last)
            last->next = at;
        else
            el->properties = at;
        at->prev = last;
        last = at;
    }
    *i = k + 1;
    return true;
}

xmlNode *nc_xhtml_own_read(const char *s, size_t n, nc_xtree **out)
{
    *out = NULL;
    if (!plain_text((const unsigned char *)s, n))
        return NULL;
    nc_xtree *t = nc_xcalloc(1, sizeof *t);
    t->text = nc_big_alloc(n + 2); /* as big as the body: huge pages for a big one */
    xmlNode *body = &t->body;
    body->type = XML_ELEMENT_NODE;
    body->name = (const xmlChar *)"body";
    xmlNode *cur = body;
    unsigned depth = 0;
    size_t i = 0;
    /* libxml2 skips the blanks before the first tag; text there would imply a <p> */
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
        i++;
    if (i < n && s[i] != '<')
        goto other;
    while (i < n) {
        if (s[i] != '<') {
            char *v;
            if (!decode(t, s, n, &i, 0, &v))
                goto other;
            xmlNode *tx = zalloc(t, sizeof *tx);
            tx->type = XML_TEXT_NODE;
            tx->name = (const xmlChar *)"text";
            tx->content = (xmlChar *)v;
            append(cur, tx);
            continue;
        }
        bool end = i + 1 < n && s[i + 1] == '/';
        size_t a = i + 1 + end, k = a;
        while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= '0' && s[k] <= '9')))
            k++;
        if (k == a || k - a > 15 || !(s[a] >= 'a' && s[a] <= 'z'))
            goto other;
        char name[16];
        memcpy(name, s + a, k - a);
        name[k - a] = '\0';
        const struct known *e =
            bsearch(name, known, sizeof known / sizeof known[0], sizeof known[0], known_cmp);
        if (!e)
            goto other;
        if (end) {
            /* only the open element's own end tag: any other would close or be dropped */
            if (cur == body || strcmp((const char *)cur->name, e->name) != 0 || k >= n ||
                s[k] != '>')
                goto other;
            cur = cur->parent;
            depth--;
            i = k + 1;
            continue;
        }
        if (cur != body && closes((const char *)cur->name, e->name))
            goto other;
        xmlNode *el = zalloc(t, sizeof *el);
        el->type = XML_ELEMENT_NODE;
        el->name = (const xmlChar *)e->name;
        bool selfclose;
        i = k;
        if (!attributes(t, s, n, &i, el, &selfclose))
            goto other;
        if (selfclose != e->empty)
            goto other;
        append(cur, el);
        if (!e->empty) {
            if (++depth > OWN_MAX_DEPTH)
                goto other;
            /* HTML drops a newline just after <pre>: the writer never puts one there */
            if (strcmp(e->name, "pre") == 0 && i < n && s[i] == '\n')
                goto other;
            cur = el;
        }
    }
    if (cur != body)
        goto other;
    *out = t;
    return body;
other:
    nc_xtree_free(t);
    return NULL;
}
