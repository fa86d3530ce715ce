/* html.c — the HTML5 writer: the body byte for byte as cmark-gfm prints it, pandoc's HTML for
 * the kinds cmark never makes, and a standalone page through a template. It never mutates the
 * document and allocates nothing per node. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "writer/pdf/image.h"

/* html_template.c: the built-in template, one line per string */

/* ---- output: runs copied straight into the buffer (nc_put, internal.h) ---- */

static void puts0(nc_buf *b, const char *s)
{
    nc_put(b, s, strlen(s));
}

/* cmark's "cr": a newline unless the output is empty or already ends with one */
static inline void cr(nc_buf *b)
{
    if (b->len && b->ptr[b->len - 1] != '\n')
        nc_putc(b, '\n');
}

static void putint(nc_buf *b, long v)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        tmp[--i] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        tmp[--i] = '-';
    nc_put(b, tmp + i, sizeof tmp - (size_t)i);
}

/* houdini_escape_html0 without "secure": only & < > " change */
static const unsigned char html_esc[256] = {['"'] = 1, ['&'] = 2, ['<'] = 3, ['>'] = 4};
static const char *const html_ent[] = {"", "&quot;", "&amp;", "&lt;", "&gt;"};
static const unsigned char html_ent_len[] = {0, 6, 5, 4, 4};

static void esc(nc_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t o = i;
        while (i < n && !html_esc[p[i]])
            i++;
        if (i > o)
            nc_put(b, s + o, i - o);
        if (i >= n)
            break;
        unsigned e = html_esc[p[i]];
        nc_put(b, html_ent[e], html_ent_len[e]);
        i++;
    }
}

static void escs(nc_buf *b, const char *s)
{
    if (s)
        esc(b, s, strlen(s));
}

/* houdini_escape_href: characters outside this set become %XX; & and ' become entities */
static const unsigned char href_safe[256] = {
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['('] = 1, [')'] = 1, ['*'] = 1, ['+'] = 1,
    [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, [':'] = 1, [';'] = 1,
    ['='] = 1, ['?'] = 1, ['@'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,
    ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,
    ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1,
    ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['~'] = 1,
};

static void href(nc_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t o = i;
        while (i < n && href_safe[p[i]])
            i++;
        if (i > o)
            nc_put(b, s + o, i - o);
        if (i >= n)
            break;
        if (p[i] == '&') {
            NC_PUTS(b, "&amp;");
        } else if (p[i] == '\'') {
            NC_PUTS(b, "&#x27;");
        } else {
            char h[3] = {'%', hex[p[i] >> 4], hex[p[i] & 15]};
            nc_put(b, h, 3);
        }
        i++;
    }
}

static void hrefs(nc_buf *b, const char *s)
{
    if (s)
        href(b, s, strlen(s));
}

/* ---- attributes, as pandoc's HTML5 writer prints them ---- */

/* Keys pandoc passes through unprefixed; any other key becomes data-KEY. */
static const char *const html_attrs[] = {
    "accesskey", "align",    "alt",         "autocapitalize", "autofocus", "cite",
    "colspan",   "contenteditable", "crossorigin", "datetime", "decoding", "dir",
    "download",  "draggable", "enterkeyhint", "headers", "height", "hidden",
    "href",      "hreflang", "inert",       "inputmode", "is",        "itemid",
    "itemprop",  "itemref",  "itemscope",   "itemtype", "lang",       "loading",
    "media",     "name",     "nonce",       "ping",     "referrerpolicy", "rel",
    "reversed",  "role",     "rowspan",     "scope",    "sizes",      "spellcheck",
    "src",       "srcset",   "start",       "style",    "tabindex",   "target",
    "title",     "translate", "type",       "usemap",   "value",      "width",
    "xml:lang",
};

static bool plain_attr(const char *k)
{
    if (strncmp(k, "data-", 5) == 0 || strncmp(k, "aria-", 5) == 0)
        return true;
    size_t lo = 0, hi = sizeof html_attrs / sizeof html_attrs[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(k, html_attrs[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* id, class, then key/values; skip_class drops classes[0] (a code block's language).
 * An image's width and height become attributes when they are pixels, else CSS. */
/* The toc filter's Div is the page's navigation: a <nav> with its title as a heading. */
static bool is_toc(const nc_node *n)
{
    return n->attr && n->attr->id && strcmp(n->attr->id, "TOC") == 0 &&
           nc_node_has_class(n, "toc");
}

static void toc_nav(nc_buf *b, const nc_node *n, bool in)
{
    if (!in) {
        NC_PUTS(b, "</nav>\n");
        return;
    }
    const char *title = nc_node_get_kv(n, "title");
    NC_PUTS(b, "<nav id=\"TOC\" class=\"toc\" role=\"doc-toc\"");
    if (title && *title) {
        NC_PUTS(b, " aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">");
        escs(b, title);
        NC_PUTS(b, "</h2>\n");
    } else {
        NC_PUTS(b, ">\n");
    }
}

static void attrs(nc_buf *b, const nc_attr *a, bool skip_class, bool image)
{
    if (!a)
        return;
    if (a->id && *a->id) {
        NC_PUTS(b, " id=\"");
        escs(b, a->id);
        nc_putc(b, '"');
    }
    if (a->nclasses > (size_t)skip_class) {
        NC_PUTS(b, " class=\"");
        for (size_t i = skip_class; i < a->nclasses; i++) {
            if (i > (size_t)skip_class)
                nc_putc(b, ' ');
            escs(b, a->classes[i]);
        }
        nc_putc(b, '"');
    }
    bool style = false;
    for (size_t i = 0; i < a->nkv; i++) {
        const char *k = a->keys[i], *v = a->values[i] ? a->values[i] : "";
        if (image && (strcmp(k, "width") == 0 || strcmp(k, "height") == 0)) {
            size_t vl = strlen(v);
            if (vl > 2 && strcmp(v + vl - 2, "px") == 0)
                vl -= 2;
            char num[32];
            if (vl < sizeof num) {
                memcpy(num, v, vl);
                num[vl] = '\0';
                if (all_digits(num)) {
                    nc_putc(b, ' ');
                    puts0(b, k);
                    NC_PUTS(b, "=\"");
                    puts0(b, num);
                    nc_putc(b, '"');
                    continue;
                }
            }
            style = true;
            continue;
        }
        if (image && strcmp(k, "style") == 0) {
            style = true;
            continue;
        }
        nc_putc(b, ' ');
        if (!plain_attr(k))
            NC_PUTS(b, "data-");
        escs(b, k);
        NC_PUTS(b, "=\"");
        escs(b, v);
        nc_putc(b, '"');
    }
    if (!style)
        return;
    /* one style attribute, however many of width, height and style asked for CSS */
    NC_PUTS(b, " style=\"");
    bool any = false;
    for (size_t i = 0; i < a->nkv; i++) {
        const char *k = a->keys[i], *v = a->values[i] ? a->values[i] : "";
        bool dim = strcmp(k, "width") == 0 || strcmp(k, "height") == 0;
        if (dim) {
            size_t vl = strlen(v);
            bool px = vl > 2 && strcmp(v + vl - 2, "px") == 0;
            bool digits = vl > 0 && strspn(v, "0123456789") == vl - (px ? 2 : 0);
            if (digits)
                continue;
            if (any)
                nc_putc(b, ';');
            escs(b, k);
            nc_putc(b, ':');
            escs(b, v);
            any = true;
        } else if (strcmp(k, "style") == 0) {
            if (any)
                nc_putc(b, ';');
            escs(b, v);
            any = true;
        }
    }
    nc_putc(b, '"');
}

/* ---- footnotes: numbered in the order of first reference, like cmark-gfm ---- */

typedef struct fnote {
    const char *label; /* NULL: a note without a label, numbered on its own */
    nc_node *def;      /* the first copy: its blocks are the footnote */
    int refs;
} fnote;

typedef struct notes {
    fnote *fn;
    size_t nfn, capfn;
    int *occ; /* per reference in walk order: its footnote's index, then its ref number */
    size_t nocc, capocc;
    size_t *slots; /* open addressing on labels: footnote index + 1, 0 empty */
    size_t nslots;
} notes;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ULL & SIZE_MAX;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
    return h;
}

static size_t find_label(notes *ns, const char *label)
{
    if (ns->nfn * 2 >= ns->nslots) {
        size_t n = ns->nslots ? ns->nslots * 2 : 64;
        size_t *s = nc_xcalloc(n, sizeof *s);
        for (size_t i = 0; i < ns->nfn; i++) {
            if (!ns->fn[i].label)
                continue;
            size_t h = hash(ns->fn[i].label) & (n - 1);
            while (s[h])
                h = (h + 1) & (n - 1);
            s[h] = i + 1;
        }
        free(ns->slots);
        ns->slots = s;
        ns->nslots = n;
    }
    size_t h = hash(label) & (ns->nslots - 1);
    while (ns->slots[h]) {
        if (strcmp(ns->fn[ns->slots[h] - 1].label, label) == 0)
            return ns->slots[h] - 1;
        h = (h + 1) & (ns->nslots - 1);
    }
    ns->slots[h] = ns->nfn + 1;
    return SIZE_MAX;
}

static void add_ref(notes *ns, nc_node *n)
{
    const char *label = n->label && *n->label ? n->label : NULL;
    size_t i = label ? find_label(ns, label) : SIZE_MAX;
    if (i == SIZE_MAX) {
        if (ns->nfn == ns->capfn) {
            ns->capfn = ns->capfn ? ns->capfn * 2 : 16;
            ns->fn = nc_xrealloc(ns->fn, ns->capfn * sizeof *ns->fn);
        }
        i = ns->nfn++;
        ns->fn[i] = (fnote){label, n, 0};
    }
    if (ns->nocc + 2 > ns->capocc) {
        ns->capocc = ns->capocc ? ns->capocc * 2 : 32;
        ns->occ = nc_xrealloc(ns->occ, ns->capocc * sizeof *ns->occ);
    }
    ns->occ[ns->nocc++] = (int)i;
    ns->occ[ns->nocc++] = ++ns->fn[i].refs;
}

/* Finds the references under root in the order the writer meets them, without entering the
 * notes themselves: their contents are scanned later, when the footnote section is. */
static void scan(notes *ns, nc_node *root)
{
    nc_node *n = root->first;
    while (n) {
        if (n->kind == NC_NOTE)
            add_ref(ns, n);
        else if (n->first) {
            n = n->first;
            continue;
        }
        while (!n->next) {
            n = n->parent;
            if (n == root)
                return;
        }
        n = n->next;
    }
}

/* After the body's walk, which records its references as it meets them: a footnote's own
 * references come after the body's, as cmark-gfm numbers them when the definitions sit at the
 * end, and all are counted before the first entry gives its back-references. */
static void scan_notes(notes *ns)
{
    for (size_t i = 0; i < ns->nfn; i++)
        scan(ns, ns->fn[i].def);
}

static void notes_free(notes *ns)
{
    free(ns->fn);
    free(ns->occ);
    free(ns->slots);
}

/* ---- the walk ---- */

typedef struct rnd {
    nc_buf *b;
    notes ns;
    size_t occ;       /* the next reference in ns.occ */
    bool meta;        /* rendering a metadata value: notes are left out */
    bool body;        /* the body's walk: references are recorded as they come */
    size_t entry;     /* the footnote whose entry is being written, or SIZE_MAX */
    bool entry_done;  /* its back-references are written */
    size_t *cols;     /* column index of the current row, per table nesting level */
    size_t ncols, capcols;
    nc_node **figs;   /* figures whose caption is being written at their end */
    size_t nfigs, capfigs;
} rnd;

static void note_id(nc_buf *b, const notes *ns, size_t fn)
{
    if (ns->fn[fn].label)
        hrefs(b, ns->fn[fn].label);
    else
        putint(b, (long)fn + 1);
}

static void backrefs(rnd *r, size_t fn)
{
    nc_buf *b = r->b;
    for (int k = 1; k <= r->ns.fn[fn].refs; k++) {
        if (k > 1)
            nc_putc(b, ' ');
        NC_PUTS(b, "<a href=\"#fnref-");
        note_id(b, &r->ns, fn);
        if (k > 1) {
            nc_putc(b, '-');
            putint(b, k);
        }
        NC_PUTS(b, "\" class=\"footnote-backref\" data-footnote-backref "
                "aria-label=\"Back to content\">\xE2\x86\xA9");
        if (k > 1) {
            NC_PUTS(b, "<sup class=\"footnote-ref\">");
            putint(b, k);
            NC_PUTS(b, "</sup>");
        }
        NC_PUTS(b, "</a>");
    }
}

static bool only_newlines(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\n')
            return false;
    return true;
}

static bool is_html(const char *fmt)
{
    return fmt && (strcmp(fmt, "html") == 0 || strcmp(fmt, "html5") == 0 ||
                   strcmp(fmt, "html4") == 0);
}

static const nc_node *table_of(const nc_node *cell)
{
    const nc_node *t = cell->parent ? cell->parent->parent : NULL;
    return t ? t->parent : NULL;
}

static void cell_open(rnd *r, const nc_node *n)
{
    nc_buf *b = r->b;
    const nc_node *row = n->parent, *sec = row ? row->parent : NULL, *t = table_of(n);
    size_t col = r->ncols ? r->cols[r->ncols - 1] : 0;
    bool th = sec && (sec->kind == NC_TABLE_HEAD || row->head ||
                      (sec->kind == NC_TABLE_BODY && (int)col < sec->rowhead_cols));
    cr(b);
    if (th)
        NC_PUTS(b, "<th");
    else
        NC_PUTS(b, "<td");
    nc_align al = n->align;
    if (al == NC_ALIGN_DEFAULT && t && t->kind == NC_TABLE && col < t->ncols)
        al = t->cols[col].align;
    if (al == NC_ALIGN_LEFT)
        NC_PUTS(b, " align=\"left\"");
    else if (al == NC_ALIGN_CENTER)
        NC_PUTS(b, " align=\"center\"");
    else if (al == NC_ALIGN_RIGHT)
        NC_PUTS(b, " align=\"right\"");
    if (n->colspan > 1) {
        NC_PUTS(b, " colspan=\"");
        putint(b, n->colspan);
        nc_putc(b, '"');
    }
    if (n->rowspan > 1) {
        NC_PUTS(b, " rowspan=\"");
        putint(b, n->rowspan);
        nc_putc(b, '"');
    }
    attrs(b, n->attr, false, false);
    nc_putc(b, '>');
    if (r->ncols)
        r->cols[r->ncols - 1] += n->colspan > 1 ? (size_t)n->colspan : 1;
}

static void colgroup(nc_buf *b, const nc_node *t)
{
    bool widths = false;
    for (size_t i = 0; i < t->ncols; i++)
        widths |= t->cols[i].width > 0;
    if (!widths)
        return;
    NC_PUTS(b, "<colgroup>\n");
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].width > 0) {
            NC_PUTS(b, "<col style=\"width: ");
            putint(b, (long)(t->cols[i].width * 100 + 0.5));
            NC_PUTS(b, "%\" />\n");
        } else {
            NC_PUTS(b, "<col />\n");
        }
    }
    NC_PUTS(b, "</colgroup>\n");
}

static void cite_ids(nc_buf *b, const nc_node *n)
{
    static const char key[] = "\"citationId\":\"";
    const char *s = n->text;
    bool first = true;
    NC_PUTS(b, " data-cites=\"");
    while (s && (s = strstr(s, key)) != NULL) {
        s += sizeof key - 1;
        const char *e = strchr(s, '"');
        if (!e)
            break;
        if (!first)
            nc_putc(b, ' ');
        esc(b, s, (size_t)(e - s));
        first = false;
        s = e;
    }
    nc_putc(b, '"');
}

static void push_fig(rnd *r, nc_node *f)
{
    if (r->nfigs == r->capfigs) {
        r->capfigs = r->capfigs ? r->capfigs * 2 : 8;
        r->figs = nc_xrealloc(r->figs, r->capfigs * sizeof *r->figs);
    }
    r->figs[r->nfigs++] = f;
}

/* An image's alt text: the plain text of its inlines, as cmark-gfm writes it. */
static void alt_text(rnd *r, nc_iter *it, nc_node *img)
{
    nc_event ev;
    while ((ev = nc_iter_next(it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(it);
        if (n == img)
            return;
        if (ev != NC_EV_ENTER)
            continue;
        switch (n->kind) {
        case NC_STR:
        case NC_CODE:
        case NC_RAW_INLINE:
        case NC_MATH:
            esc(r->b, n->text, n->len);
            break;
        case NC_SPACE:
        case NC_SOFT_BREAK:
        case NC_LINE_BREAK:
            nc_putc(r->b, ' ');
            break;
        case NC_NOTE:
            /* numbered all the same, as cmark-gfm does, but invisible here */
            if (!r->meta) {
                if (r->body)
                    add_ref(&r->ns, n);
                r->occ += 2;
            }
            nc_iter_reset(it, n, NC_EV_EXIT);
            break;
        default:
            break;
        }
    }
}

/* Writes root and everything under it; a root NC_NOTE is written as its footnote entry. */
static void walk(rnd *r, nc_node *root)
{
    nc_buf *b = r->b;
    nc_iter it;
    nc_event ev;
    nc_iter_init(&it, root);
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        bool in = ev == NC_EV_ENTER;
        switch (n->kind) {
        case NC_NONE:
        case NC_KIND_COUNT:
        case NC_DOCUMENT:
            break;
        case NC_STR:
            esc(b, n->text, n->len);
            break;
        case NC_SPACE:
            nc_putc(b, ' ');
            break;
        case NC_SOFT_BREAK:
            nc_putc(b, '\n');
            break;
        case NC_LINE_BREAK:
            NC_PUTS(b, "<br />\n");
            break;
        case NC_PARA:
            if (in) {
                cr(b);
                NC_PUTS(b, "<p>");
            } else {
                if (n->parent == root && root->kind == NC_NOTE && r->entry != SIZE_MAX &&
                    !n->next) {
                    nc_putc(b, ' ');
                    backrefs(r, r->entry);
                    r->entry_done = true;
                }
                NC_PUTS(b, "</p>\n");
            }
            break;
        case NC_PLAIN:
            if (in && n->prev)
                cr(b);
            break;
        case NC_HEADER:
            if (in) {
                cr(b);
                NC_PUTS(b, "<h");
                nc_putc(b, (char)('0' + (n->level >= 1 && n->level <= 6 ? n->level : 6)));
                attrs(b, n->attr, false, false);
                nc_putc(b, '>');
            } else {
                NC_PUTS(b, "</h");
                nc_putc(b, (char)('0' + (n->level >= 1 && n->level <= 6 ? n->level : 6)));
                NC_PUTS(b, ">\n");
            }
            break;
        case NC_BLOCK_QUOTE:
            cr(b);
            if (in)
                NC_PUTS(b, "<blockquote>\n");
            else
                NC_PUTS(b, "</blockquote>\n");
            break;
        case NC_BULLET_LIST:
            if (in) {
                cr(b);
                NC_PUTS(b, "<ul>\n");
            } else {
                cr(b);
                NC_PUTS(b, "</ul>\n");
            }
            break;
        case NC_ORDERED_LIST:
            if (in) {
                cr(b);
                NC_PUTS(b, "<ol");
                if (n->start != 1) {
                    NC_PUTS(b, " start=\"");
                    putint(b, n->start);
                    nc_putc(b, '"');
                }
                if (n->style == NC_LIST_EXAMPLE)
                    NC_PUTS(b, " class=\"example\"");
                else if (n->style == NC_LIST_LOWER_ROMAN)
                    NC_PUTS(b, " type=\"i\"");
                else if (n->style == NC_LIST_UPPER_ROMAN)
                    NC_PUTS(b, " type=\"I\"");
                else if (n->style == NC_LIST_LOWER_ALPHA)
                    NC_PUTS(b, " type=\"a\"");
                else if (n->style == NC_LIST_UPPER_ALPHA)
                    NC_PUTS(b, " type=\"A\"");
                NC_PUTS(b, ">\n");
            } else {
                cr(b);
                NC_PUTS(b, "</ol>\n");
            }
            break;
        case NC_LIST_ITEM:
            if (in) {
                cr(b);
                NC_PUTS(b, "<li>");
                if (n->task == NC_TASK_DONE)
                    NC_PUTS(b, "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> ");
                else if (n->task == NC_TASK_OPEN)
                    NC_PUTS(b, "<input type=\"checkbox\" disabled=\"\" /> ");
            } else {
                NC_PUTS(b, "</li>\n");
            }
            break;
        case NC_CODE_BLOCK: {
            cr(b);
            const nc_attr *a = n->attr;
            bool lang = a && a->nclasses && a->classes[0][0];
            NC_PUTS(b, "<pre");
            attrs(b, a, lang, false);
            if (lang) {
                /* cmark-gfm: the info string's first word, escaped as text, not as a URL */
                const char *l = a->classes[0];
                size_t ll = strcspn(l, " \t\n\r\f\v");
                NC_PUTS(b, "><code class=\"language-");
                esc(b, l, ll);
                NC_PUTS(b, "\">");
            } else {
                NC_PUTS(b, "><code>");
            }
            esc(b, n->text, n->len);
            /* the model drops the final newline (as pandoc does) except from a block of only
               blank lines, which keeps them all; cmark-gfm prints it */
            if (n->len && !only_newlines(n->text, n->len))
                nc_putc(b, '\n');
            NC_PUTS(b, "</code></pre>\n");
            break;
        }
        case NC_RAW_BLOCK:
            if (is_html(n->format)) {
                cr(b);
                nc_put(b, n->text, n->len);
                cr(b);
            }
            break;
        case NC_RAW_INLINE:
            if (is_html(n->format))
                nc_put(b, n->text, n->len);
            break;
        case NC_HORIZONTAL_RULE:
            cr(b);
            NC_PUTS(b, "<hr />\n");
            break;
        case NC_TABLE:
            if (in) {
                cr(b);
                NC_PUTS(b, "<table");
                attrs(b, n->attr, false, false);
                NC_PUTS(b, ">\n");
                if (!n->first || n->first->kind != NC_CAPTION)
                    colgroup(b, n);
                if (r->ncols == r->capcols) {
                    r->capcols = r->capcols ? r->capcols * 2 : 8;
                    r->cols = nc_xrealloc(r->cols, r->capcols * sizeof *r->cols);
                }
                r->cols[r->ncols++] = 0;
            } else {
                cr(b);
                NC_PUTS(b, "</table>\n");
                r->ncols--;
            }
            break;
        case NC_TABLE_HEAD:
        case NC_TABLE_BODY:
        case NC_TABLE_FOOT:
            if (!n->first) {
                /* cmark-gfm writes no <tbody> for a table without rows, pandoc no <thead> */
                if (in)
                    nc_iter_reset(&it, n, NC_EV_EXIT);
                break;
            }
            cr(b);
            nc_putc(b, '<');
            if (!in)
                nc_putc(b, '/');
            puts0(b, n->kind == NC_TABLE_HEAD ? "thead" : n->kind == NC_TABLE_BODY ? "tbody"
                                                                                 : "tfoot");
            if (in)
                attrs(b, n->attr, false, false);
            NC_PUTS(b, ">\n");
            break;
        case NC_TABLE_ROW:
            cr(b);
            if (in) {
                NC_PUTS(b, "<tr");
                attrs(b, n->attr, false, false);
                NC_PUTS(b, ">\n");
                if (r->ncols)
                    r->cols[r->ncols - 1] = 0;
            } else {
                NC_PUTS(b, "</tr>\n");
            }
            break;
        case NC_TABLE_CELL:
            if (in) {
                cell_open(r, n);
            } else {
                const nc_node *row = n->parent, *sec = row ? row->parent : NULL;
                size_t col = r->ncols ? r->cols[r->ncols - 1] : 0;
                size_t span = n->colspan > 1 ? (size_t)n->colspan : 1;
                bool th = sec && (sec->kind == NC_TABLE_HEAD || row->head ||
                                  (sec->kind == NC_TABLE_BODY &&
                                   (int)(col - span) < sec->rowhead_cols));
                if (th)
                    NC_PUTS(b, "</th>\n");
                else
                    NC_PUTS(b, "</td>\n");
            }
            break;
        case NC_CAPTION:
            if (n->parent && n->parent->kind == NC_FIGURE) {
                if (!r->nfigs || r->figs[r->nfigs - 1] != n->parent) {
                    /* pandoc puts the caption last: the figure's end comes back for it */
                    if (in)
                        nc_iter_reset(&it, n, NC_EV_EXIT);
                } else if (!in) {
                    NC_PUTS(b, "</figcaption>\n");
                    nc_iter_reset(&it, n->parent->last, NC_EV_EXIT);
                }
                break;
            }
            if (in) {
                NC_PUTS(b, "<caption>");
            } else {
                NC_PUTS(b, "</caption>\n");
                if (n->parent && n->parent->kind == NC_TABLE)
                    colgroup(b, n->parent);
            }
            break;
        case NC_FIGURE:
            if (in) {
                cr(b);
                NC_PUTS(b, "<figure");
                attrs(b, n->attr, false, false);
                NC_PUTS(b, ">\n");
            } else if (r->nfigs && r->figs[r->nfigs - 1] == n) {
                r->nfigs--;
                cr(b);
                NC_PUTS(b, "</figure>\n");
            } else if (n->first && n->first->kind == NC_CAPTION) {
                push_fig(r, n);
                cr(b);
                NC_PUTS(b, "<figcaption>");
                nc_iter_reset(&it, n->first, NC_EV_ENTER);
            } else {
                cr(b);
                NC_PUTS(b, "</figure>\n");
            }
            break;
        case NC_DIV:
            cr(b);
            if (is_toc(n)) {
                toc_nav(b, n, in);
            } else if (in) {
                NC_PUTS(b, "<div");
                attrs(b, n->attr, false, false);
                NC_PUTS(b, ">\n");
            } else {
                NC_PUTS(b, "</div>\n");
            }
            break;
        case NC_LINE_BLOCK:
            if (in) {
                cr(b);
                NC_PUTS(b, "<div class=\"line-block\">");
            } else {
                NC_PUTS(b, "</div>\n");
            }
            break;
        case NC_LINE:
            if (in && n->prev)
                NC_PUTS(b, "<br />\n");
            break;
        case NC_DEFINITION_LIST:
            cr(b);
            if (in)
                NC_PUTS(b, "<dl>\n");
            else
                NC_PUTS(b, "</dl>\n");
            break;
        case NC_DEF_ITEM:
            break;
        case NC_DEF_TERM:
            if (in) {
                cr(b);
                NC_PUTS(b, "<dt>");
            } else {
                NC_PUTS(b, "</dt>\n");
            }
            break;
        case NC_DEF_DATA:
            cr(b);
            if (in)
                NC_PUTS(b, "<dd>\n");
            else
                NC_PUTS(b, "</dd>\n");
            break;
        case NC_EMPH:
            if (in)
                NC_PUTS(b, "<em>");
            else
                NC_PUTS(b, "</em>");
            break;
        case NC_STRONG:
            if (in)
                NC_PUTS(b, "<strong>");
            else
                NC_PUTS(b, "</strong>");
            break;
        case NC_STRIKEOUT:
            if (in)
                NC_PUTS(b, "<del>");
            else
                NC_PUTS(b, "</del>");
            break;
        case NC_UNDERLINE:
            if (in)
                NC_PUTS(b, "<u>");
            else
                NC_PUTS(b, "</u>");
            break;
        case NC_SUPERSCRIPT:
            if (in)
                NC_PUTS(b, "<sup>");
            else
                NC_PUTS(b, "</sup>");
            break;
        case NC_SUBSCRIPT:
            if (in)
                NC_PUTS(b, "<sub>");
            else
                NC_PUTS(b, "</sub>");
            break;
        case NC_SMALL_CAPS:
            if (in)
                NC_PUTS(b, "<span class=\"smallcaps\">");
            else
                NC_PUTS(b, "</span>");
            break;
        case NC_QUOTED:
            if (n->quote == NC_QUOTE_SINGLE)
                puts0(b, in ? "\xE2\x80\x98" : "\xE2\x80\x99");
            else
                puts0(b, in ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
            break;
        case NC_CITE:
            if (in) {
                NC_PUTS(b, "<span class=\"citation\"");
                cite_ids(b, n);
                nc_putc(b, '>');
            } else {
                NC_PUTS(b, "</span>");
            }
            break;
        case NC_SPAN:
            if (in) {
                NC_PUTS(b, "<span");
                attrs(b, n->attr, false, false);
                nc_putc(b, '>');
            } else {
                NC_PUTS(b, "</span>");
            }
            break;
        case NC_CODE:
            NC_PUTS(b, "<code");
            attrs(b, n->attr, false, false);
            nc_putc(b, '>');
            esc(b, n->text, n->len);
            NC_PUTS(b, "</code>");
            break;
        case NC_MATH:
            /* pandoc --mathjax: TeX left for a script (MathJax, KaTeX) to typeset */
            if (n->math == NC_MATH_DISPLAY)
                NC_PUTS(b, "<span class=\"math display\">\\[");
            else
                NC_PUTS(b, "<span class=\"math inline\">\\(");
            esc(b, n->text, n->len);
            if (n->math == NC_MATH_DISPLAY)
                NC_PUTS(b, "\\]</span>");
            else
                NC_PUTS(b, "\\)</span>");
            break;
        case NC_LINK:
            if (in) {
                NC_PUTS(b, "<a href=\"");
                hrefs(b, n->url);
                nc_putc(b, '"');
                attrs(b, n->attr, false, false);
                if (n->title && *n->title) {
                    NC_PUTS(b, " title=\"");
                    escs(b, n->title);
                    nc_putc(b, '"');
                }
                nc_putc(b, '>');
            } else {
                NC_PUTS(b, "</a>");
            }
            break;
        case NC_IMAGE:
            NC_PUTS(b, "<img src=\"");
            hrefs(b, n->url);
            nc_putc(b, '"');
            attrs(b, n->attr, false, true);
            NC_PUTS(b, " alt=\"");
            if (n->first)
                alt_text(r, &it, n);
            nc_putc(b, '"');
            if (n->title && *n->title) {
                NC_PUTS(b, " title=\"");
                escs(b, n->title);
                nc_putc(b, '"');
            }
            NC_PUTS(b, " />");
            if (!n->first)
                nc_iter_reset(&it, n, NC_EV_EXIT);
            break;
        case NC_NOTE:
            if (n == root && r->entry != SIZE_MAX) {
                size_t fn = r->entry;
                if (in) {
                    cr(b);
                    NC_PUTS(b, "<li id=\"fn-");
                    note_id(b, &r->ns, fn);
                    NC_PUTS(b, "\">\n");
                } else {
                    if (!r->entry_done) {
                        cr(b);
                        backrefs(r, fn);
                        nc_putc(b, '\n');
                    }
                    NC_PUTS(b, "</li>\n");
                }
                break;
            }
            if (in) {
                if (!r->meta && r->body)
                    add_ref(&r->ns, n);
                if (!r->meta && r->occ + 1 < r->ns.nocc) {
                    size_t fn = (size_t)r->ns.occ[r->occ];
                    int ix = r->ns.occ[r->occ + 1];
                    r->occ += 2;
                    NC_PUTS(b, "<sup class=\"footnote-ref\"><a href=\"#fn-");
                    note_id(b, &r->ns, fn);
                    NC_PUTS(b, "\" id=\"fnref-");
                    note_id(b, &r->ns, fn);
                    if (ix > 1) {
                        nc_putc(b, '-');
                        putint(b, ix);
                    }
                    NC_PUTS(b, "\" data-footnote-ref>");
                    putint(b, (long)fn + 1);
                    NC_PUTS(b, "</a></sup>");
                }
                nc_iter_reset(&it, n, NC_EV_EXIT);
            }
            break;
        }
    }
}

static void footnotes(rnd *r)
{
    size_t nfn = r->ns.nfn;
    if (!nfn)
        return;
    cr(r->b);
    NC_PUTS(r->b, "<section class=\"footnotes\" data-footnotes>\n<ol>\n");
    /* the walk meets the references in the order scan_notes recorded them */
    for (size_t i = 0; i < nfn; i++) {
        r->entry = i;
        r->entry_done = false;
        walk(r, r->ns.fn[i].def);
    }
    r->entry = SIZE_MAX;
    NC_PUTS(r->b, "</ol>\n</section>\n");
}

/* ---- standalone: the template's variables ---- */

static nc_meta *str_meta(nc_doc *tmp, const nc_buf *b)
{
    return nc_meta_new_string(tmp, nc_buf_cstr(b), b->len);
}

/* A copy of a metadata value with its text made HTML: strings escaped, inlines and blocks
 * written by this writer. */
static nc_meta *html_meta(nc_doc *tmp, const nc_meta *m)
{
    nc_buf b = NC_BUF_INIT;
    nc_meta *c;
    switch (m->kind) {
    case NC_META_STRING:
    case NC_META_NUMBER:
        esc(&b, m->str, m->len);
        c = str_meta(tmp, &b);
        c->kind = m->kind;
        c->num = m->num;
        break;
    case NC_META_INLINES:
    case NC_META_BLOCKS: {
        rnd r = {.b = &b, .meta = true, .entry = SIZE_MAX};
        if (m->node)
            for (nc_node *k = m->node->first; k; k = k->next)
                walk(&r, k);
        free(r.cols);
        free(r.figs);
        c = str_meta(tmp, &b);
        break;
    }
    case NC_META_LIST:
        c = nc_meta_new(tmp, NC_META_LIST);
        for (size_t i = 0; i < m->n; i++)
            nc_meta_push(tmp, c, html_meta(tmp, m->items[i]));
        break;
    case NC_META_MAP:
        c = nc_meta_new(tmp, NC_META_MAP);
        for (size_t i = 0; i < m->n; i++)
            nc_meta_set(tmp, c, m->keys[i], html_meta(tmp, m->items[i]));
        break;
    case NC_META_BOOL:
    default:
        c = nc_meta_copy(tmp, m);
        break;
    }
    nc_buf_free(&b);
    return c;
}

/* The plain text of a value, escaped: for <title> and <meta content>. */
static nc_meta *plain_meta(nc_doc *tmp, const nc_meta *m)
{
    nc_buf t = NC_BUF_INIT, e = NC_BUF_INIT;
    if (m && m->kind == NC_META_MAP)
        m = nc_meta_get(m, "name");
    nc_meta_text(m, &t);
    esc(&e, nc_buf_cstr(&t), t.len);
    nc_meta *c = str_meta(tmp, &e);
    nc_buf_free(&t);
    nc_buf_free(&e);
    return c;
}

static const nc_node *first_h1(const nc_node *root)
{
    for (const nc_node *n = root->first; n; n = n->next)
        if (n->kind == NC_HEADER && n->level == 1)
            return n;
    return NULL;
}

static void build_context(nc_doc *tmp, nc_doc *doc, const nc_options *opt, nc_buf *body)
{
    nc_meta *ctx = nc_doc_meta(tmp);
    const nc_meta *meta = nc_doc_meta(doc);
    for (size_t i = 0; i < meta->n; i++)
        nc_meta_set(tmp, ctx, meta->keys[i], html_meta(tmp, meta->items[i]));

    /* the body is pointed at, not copied: it may be megabytes */
    nc_meta *bm = nc_meta_new(tmp, NC_META_STRING);
    bm->str = nc_buf_cstr(body);
    bm->len = body->len;
    nc_meta_set(tmp, ctx, "body", bm);

    if (!nc_meta_truthy(nc_meta_get(ctx, "pagetitle"))) {
        const nc_meta *t = nc_meta_get(meta, "title");
        nc_buf pt = NC_BUF_INIT;
        if (nc_meta_truthy(t)) {
            nc_meta_set(tmp, ctx, "pagetitle", plain_meta(tmp, t));
        } else {
            const nc_node *h = first_h1(nc_doc_root(doc));
            if (h) {
                nc_node_text(h, &pt);
            } else {
                const char *path = nc_doc_path(doc);
                const char *base = path && strcmp(path, "-") ? strrchr(path, '/') : NULL;
                base = base ? base + 1 : path && strcmp(path, "-") ? path : "Untitled";
                const char *dot = strrchr(base, '.');
                nc_buf_put(&pt, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
            }
            nc_buf e = NC_BUF_INIT;
            esc(&e, nc_buf_cstr(&pt), pt.len);
            nc_meta_set(tmp, ctx, "pagetitle", str_meta(tmp, &e));
            nc_buf_free(&e);
        }
        nc_buf_free(&pt);
    }

    const nc_meta *author = nc_meta_get(meta, "author");
    if (author && !nc_meta_get(ctx, "author-meta")) {
        nc_meta *am = nc_meta_new(tmp, NC_META_LIST);
        if (author->kind == NC_META_LIST)
            for (size_t i = 0; i < author->n; i++)
                nc_meta_push(tmp, am, plain_meta(tmp, author->items[i]));
        else
            nc_meta_push(tmp, am, plain_meta(tmp, author));
        nc_meta_set(tmp, ctx, "author-meta", am);
    }
    const nc_meta *date = nc_meta_get(meta, "date");
    if (date && !nc_meta_get(ctx, "date-meta"))
        nc_meta_set(tmp, ctx, "date-meta", plain_meta(tmp, date));
    if (!nc_meta_get(ctx, "keywords") && nc_meta_get(ctx, "tags"))
        nc_meta_set(tmp, ctx, "keywords", nc_meta_copy(tmp, nc_meta_get(ctx, "tags")));

    nc_buf l = NC_BUF_INIT;
    escs(&l, nc_doc_lang(doc));
    nc_meta_set(tmp, ctx, "lang", str_meta(tmp, &l));
    nc_buf_free(&l);
    nc_meta_set(tmp, ctx, "generator",
                nc_meta_new_string(tmp, "noteconv " NC_VERSION_STRING,
                                   strlen("noteconv " NC_VERSION_STRING)));

    if (opt->ncss) {
        nc_meta *css = nc_meta_new(tmp, NC_META_LIST);
        for (size_t i = 0; i < opt->ncss; i++) {
            nc_buf u = NC_BUF_INIT;
            hrefs(&u, opt->css[i]);
            nc_meta_push(tmp, css, str_meta(tmp, &u));
            nc_buf_free(&u);
        }
        nc_meta_set(tmp, ctx, "css", css);
    }

    /* -V values go in verbatim, as pandoc's do; a repeated key makes a list */
    for (size_t i = 0; i < opt->nvars; i++) {
        const char *k = opt->vars[i].key, *v = opt->vars[i].value;
        nc_meta *val;
        if (v) {
            val = nc_meta_new_string(tmp, v, strlen(v));
        } else {
            val = nc_meta_new(tmp, NC_META_BOOL);
            val->b = true;
        }
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(opt->vars[j].key, k) == 0;
        nc_meta *old = nc_meta_get(ctx, k);
        if (seen && old && old->kind != NC_META_LIST) {
            nc_meta *list = nc_meta_new(tmp, NC_META_LIST);
            nc_meta_push(tmp, list, old);
            nc_meta_push(tmp, list, val);
            nc_meta_set(tmp, ctx, k, list);
        } else if (seen && old) {
            nc_meta_push(tmp, old, val);
        } else {
            nc_meta_set(tmp, ctx, k, val);
        }
    }
}

/* ---- the writer entry ---- */

static void render_body(nc_buf *out, nc_node *root)
{
    rnd r = {.b = out, .entry = SIZE_MAX, .body = true};
    walk(&r, root);
    r.body = false;
    scan_notes(&r.ns);
    footnotes(&r);
    notes_free(&r.ns);
    free(r.cols);
    free(r.figs);
    nc_buf_terminate(out);
}

/* The page shows the local images it links, so a dependency file (-MD) lists those that exist:
 * a build that copies or checks them reruns when one changes. */
static void image_deps(nc_doc *doc, const nc_options *opt)
{
    const char *note = nc_doc_path(doc);
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        const nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER || n->kind != NC_IMAGE || !n->url || nc_image_is_remote(n->url))
            continue;
        char *path = nc_image_resolve(n->url, note, opt->resource_path);
        struct stat st;
        if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            nc_doc_add_dependency(doc, path);
        free(path);
    }
}

/* A -c stylesheet that is a local file is a dependency too (a URL is not). */
static void css_deps(nc_doc *doc, const nc_options *opt)
{
    for (size_t i = 0; i < opt->ncss; i++) {
        struct stat st;
        if (!nc_image_is_remote(opt->css[i]) && stat(opt->css[i], &st) == 0 &&
            S_ISREG(st.st_mode))
            nc_doc_add_dependency(doc, opt->css[i]);
    }
}

static int render(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    nc_options defaults;
    if (!opt) {
        nc_options_init(&defaults);
        opt = &defaults;
    }
    if (!opt->standalone) {
        render_body(out, nc_doc_root(doc));
        image_deps(doc, opt);
        return 0;
    }

    nc_template *t;
    if (opt->template_path) {
        char *text;
        size_t len;
        if (nc_read_file(opt->template_path, &text, &len, 0, diag) != 0)
            return -1;
        nc_doc_add_dependency(doc, opt->template_path);
        t = nc_template_parse(text, len, opt->template_path, diag);
        free(text);
    } else {
        nc_buf text = NC_BUF_INIT;
        for (size_t i = 0; nc_html_default_template[i]; i++)
            nc_buf_puts(&text, nc_html_default_template[i]);
        t = nc_template_parse(nc_buf_cstr(&text), text.len, "default.html5", diag);
        nc_buf_free(&text);
    }
    if (!t)
        return -1;

    nc_buf body = NC_BUF_INIT;
    render_body(&body, nc_doc_root(doc));
    image_deps(doc, opt);
    css_deps(doc, opt);
    nc_doc *tmp = nc_doc_new();
    build_context(tmp, doc, opt, &body);
    nc_template_render(t, nc_doc_meta(tmp), out);
    nc_buf_terminate(out);
    nc_doc_free(tmp);
    nc_buf_free(&body);
    nc_template_free(t);
    return 0;
}

const nc_writer nc_writer_html = {
    "html", ".html .htm", "HTML5 (a fragment, or a standalone page with -s)", false, render,
};
