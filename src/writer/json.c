/* json.c — the -t json writer: pandoc's JSON AST (pandoc-api 1.22 or 1.23), written straight
 * into the output buffer. It must stay readable by pandoc: anything pandoc has no place for
 * travels in extra object keys ("noteconv-label", "noteconv-kind") that pandoc ignores. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#ifndef NC_PANDOC_API_DEFAULT
#define NC_PANDOC_API_DEFAULT 23
#endif

typedef struct w {
    nc_buf *b;
    int api; /* 22 or 23 */
} w;

#define PUTS(b, lit) nc_buf_put((b), (lit), sizeof(lit) - 1)

static void putc1(nc_buf *b, char c)
{
    if (b->len + 1 >= b->cap)
        nc_buf_grow(b, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
}

/* The body of a JSON string: quotes, backslashes and control characters escaped; bytes that
 * are not UTF-8 become U+FFFD so that the output always parses. */
static void esc_body(nc_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            int k = nc_utf8_decode(s + i, n - i, &cp);
            if (k > 0) {
                i += (size_t)k;
                continue;
            }
        }
        nc_buf_put(b, s + run, i - run);
        switch (c) {
        case '"': PUTS(b, "\\\""); break;
        case '\\': PUTS(b, "\\\\"); break;
        case '\n': PUTS(b, "\\n"); break;
        case '\t': PUTS(b, "\\t"); break;
        case '\r': PUTS(b, "\\r"); break;
        case '\b': PUTS(b, "\\b"); break;
        case '\f': PUTS(b, "\\f"); break;
        default:
            if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                nc_buf_put(b, u, 6);
            } else {
                PUTS(b, "\xEF\xBF\xBD");
            }
        }
        run = ++i;
    }
    nc_buf_put(b, s + run, n - run);
}

static void str(nc_buf *b, const char *s, size_t n)
{
    putc1(b, '"');
    if (s)
        esc_body(b, s, n);
    putc1(b, '"');
}

static void strz(nc_buf *b, const char *s)
{
    str(b, s, s ? strlen(s) : 0);
}

static void sep(nc_buf *b, bool *first)
{
    if (!*first)
        putc1(b, ',');
    *first = false;
}

/* ["id",["class",...],[["key","value"],...]]; extra_class goes first (a figure in 1.22). */
static void attr(nc_buf *b, const nc_attr *a, const char *extra_class)
{
    PUTS(b, "[");
    strz(b, a ? a->id : NULL);
    PUTS(b, ",[");
    bool first = true;
    if (extra_class) {
        sep(b, &first);
        strz(b, extra_class);
    }
    for (size_t i = 0; a && i < a->nclasses; i++) {
        sep(b, &first);
        strz(b, a->classes[i]);
    }
    PUTS(b, "],[");
    for (size_t i = 0; a && i < a->nkv; i++) {
        if (i)
            putc1(b, ',');
        putc1(b, '[');
        strz(b, a->keys[i]);
        putc1(b, ',');
        strz(b, a->values[i]);
        putc1(b, ']');
    }
    PUTS(b, "]]");
}

static void tag(nc_buf *b, const char *t)
{
    PUTS(b, "{\"t\":\"");
    nc_buf_puts(b, t);
    PUTS(b, "\"");
}

static void inlines(w *o, const nc_node *parent);
static void blocks(w *o, const nc_node *first, const nc_node *stop);

/* Our Str may hold spaces and newlines; pandoc's may not: each space is a Space (so that
 * doubled spaces survive), each newline a SoftBreak. */
static void put_str(nc_buf *b, const char *s, size_t n, bool *first)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\n') {
            sep(b, first);
            if (s[i] == ' ')
                PUTS(b, "{\"t\":\"Space\"}");
            else
                PUTS(b, "{\"t\":\"SoftBreak\"}");
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\n')
            j++;
        sep(b, first);
        PUTS(b, "{\"t\":\"Str\",\"c\":\"");
        esc_body(b, s + i, j - i);
        PUTS(b, "\"}");
        i = j;
    }
}

static void target(nc_buf *b, const nc_node *n, const char *title_prefix)
{
    PUTS(b, ",[");
    strz(b, n->url);
    PUTS(b, ",\"");
    if (title_prefix)
        nc_buf_puts(b, title_prefix);
    if (n->title)
        esc_body(b, n->title, strlen(n->title));
    PUTS(b, "\"]");
}

static void inline_node(w *o, const nc_node *n, bool *first)
{
    nc_buf *b = o->b;
    const char *simple = NULL;
    switch (n->kind) {
    case NC_STR:
        put_str(b, n->text, n->len, first);
        return;
    case NC_EMPH: simple = "Emph"; break;
    case NC_UNDERLINE: simple = "Underline"; break;
    case NC_STRONG: simple = "Strong"; break;
    case NC_STRIKEOUT: simple = "Strikeout"; break;
    case NC_SUPERSCRIPT: simple = "Superscript"; break;
    case NC_SUBSCRIPT: simple = "Subscript"; break;
    case NC_SMALL_CAPS: simple = "SmallCaps"; break;
    default: break;
    }
    sep(b, first);
    if (simple) {
        tag(b, simple);
        PUTS(b, ",\"c\":");
        inlines(o, n);
        putc1(b, '}');
        return;
    }
    switch (n->kind) {
    case NC_SPACE:
        PUTS(b, "{\"t\":\"Space\"}");
        break;
    case NC_SOFT_BREAK:
        PUTS(b, "{\"t\":\"SoftBreak\"}");
        break;
    case NC_LINE_BREAK:
        PUTS(b, "{\"t\":\"LineBreak\"}");
        break;
    case NC_QUOTED:
        PUTS(b, "{\"t\":\"Quoted\",\"c\":[");
        PUTS(b, "{\"t\":\"");
        nc_buf_puts(b, n->quote == NC_QUOTE_DOUBLE ? "DoubleQuote" : "SingleQuote");
        PUTS(b, "\"},");
        inlines(o, n);
        PUTS(b, "]}");
        break;
    case NC_CITE:
        /* the citations were kept as the JSON they were read from */
        PUTS(b, "{\"t\":\"Cite\",\"c\":[");
        if (n->text && n->len)
            nc_buf_put(b, n->text, n->len);
        else
            PUTS(b, "[]");
        putc1(b, ',');
        inlines(o, n);
        PUTS(b, "]}");
        break;
    case NC_CODE:
        PUTS(b, "{\"t\":\"Code\",\"c\":[");
        attr(b, n->attr, NULL);
        putc1(b, ',');
        str(b, n->text, n->len);
        PUTS(b, "]}");
        break;
    case NC_MATH:
        PUTS(b, "{\"t\":\"Math\",\"c\":[{\"t\":\"");
        nc_buf_puts(b, n->math == NC_MATH_DISPLAY ? "DisplayMath" : "InlineMath");
        PUTS(b, "\"},");
        str(b, n->text, n->len);
        PUTS(b, "]}");
        break;
    case NC_RAW_INLINE:
        PUTS(b, "{\"t\":\"RawInline\",\"c\":[");
        strz(b, n->format ? n->format : "html");
        putc1(b, ',');
        str(b, n->text, n->len);
        PUTS(b, "]}");
        break;
    case NC_LINK:
    case NC_IMAGE:
        tag(b, n->kind == NC_LINK ? "Link" : "Image");
        PUTS(b, ",\"c\":[");
        attr(b, n->attr, NULL);
        putc1(b, ',');
        inlines(o, n);
        target(b, n, NULL);
        PUTS(b, "]}");
        break;
    case NC_NOTE:
        PUTS(b, "{\"t\":\"Note\",\"c\":");
        putc1(b, '[');
        blocks(o, n->first, NULL);
        putc1(b, ']');
        if (n->label && *n->label) {
            PUTS(b, ",\"noteconv-label\":");
            strz(b, n->label);
        }
        putc1(b, '}');
        break;
    case NC_SPAN:
        PUTS(b, "{\"t\":\"Span\",\"c\":[");
        attr(b, n->attr, NULL);
        putc1(b, ',');
        inlines(o, n);
        PUTS(b, "]}");
        break;
    default:
        /* a block where inlines belong (a filter's mistake): its text keeps the content */
        {
            nc_buf t = NC_BUF_INIT;
            nc_node_text(n, &t);
            tag(b, "Str");
            PUTS(b, ",\"c\":");
            str(b, t.ptr, t.len);
            putc1(b, '}');
            nc_buf_free(&t);
        }
        break;
    }
}

static void inlines(w *o, const nc_node *parent)
{
    putc1(o->b, '[');
    bool first = true;
    for (const nc_node *n = parent->first; n; n = n->next)
        inline_node(o, n, &first);
    putc1(o->b, ']');
}

/* A task item starts with ☐ or ☒ and a space, as pandoc writes GFM task lists. */
static void list_item(w *o, const nc_node *item)
{
    nc_buf *b = o->b;
    putc1(b, '[');
    const nc_node *kids = item->first;
    if (item->task != NC_TASK_NONE) {
        const char *box = item->task == NC_TASK_DONE ? "\xE2\x98\x92" : "\xE2\x98\x90";
        const nc_node *p = item->first;
        if (p && (p->kind == NC_PLAIN || p->kind == NC_PARA)) {
            tag(b, p->kind == NC_PLAIN ? "Plain" : "Para");
            PUTS(b, ",\"c\":[");
            bool first = true;
            put_str(b, box, 3, &first);
            if (p->first)
                PUTS(b, ",{\"t\":\"Space\"}");
            for (const nc_node *n = p->first; n; n = n->next)
                inline_node(o, n, &first);
            PUTS(b, "]}");
            kids = p->next;
            if (kids)
                putc1(b, ',');
        } else {
            PUTS(b, "{\"t\":\"Plain\",\"c\":[{\"t\":\"Str\",\"c\":\"");
            nc_buf_puts(b, box);
            PUTS(b, "\"}]}");
            if (kids)
                putc1(b, ',');
        }
    }
    blocks(o, kids, NULL);
    putc1(b, ']');
}

static void list_items(w *o, const nc_node *list)
{
    putc1(o->b, '[');
    for (const nc_node *it = list->first; it; it = it->next) {
        if (it != list->first)
            putc1(o->b, ',');
        if (it->kind == NC_LIST_ITEM) {
            list_item(o, it);
        } else {
            putc1(o->b, '[');
            blocks(o, it, it->next);
            putc1(o->b, ']');
        }
    }
    putc1(o->b, ']');
}

static const char *align_name(nc_align a)
{
    switch (a) {
    case NC_ALIGN_LEFT: return "AlignLeft";
    case NC_ALIGN_RIGHT: return "AlignRight";
    case NC_ALIGN_CENTER: return "AlignCenter";
    default: return "AlignDefault";
    }
}

static void rows(w *o, const nc_node *sec, int head)
{
    nc_buf *b = o->b;
    putc1(b, '[');
    bool first = true;
    for (const nc_node *r = sec ? sec->first : NULL; r; r = r->next) {
        if (r->kind != NC_TABLE_ROW || (head >= 0 && r->head != (head == 1)))
            continue;
        sep(b, &first);
        putc1(b, '[');
        attr(b, r->attr, NULL);
        PUTS(b, ",[");
        for (const nc_node *c = r->first; c; c = c->next) {
            if (c != r->first)
                putc1(b, ',');
            putc1(b, '[');
            attr(b, c->attr, NULL);
            PUTS(b, ",{\"t\":\"");
            nc_buf_puts(b, align_name(c->align));
            nc_buf_printf(b, "\"},%d,%d,[", c->rowspan > 0 ? c->rowspan : 1,
                          c->colspan > 0 ? c->colspan : 1);
            blocks(o, c->first, NULL);
            PUTS(b, "]]");
        }
        PUTS(b, "]]");
    }
    putc1(b, ']');
}

/* [null,[blocks]]: pandoc's Caption, from an NC_CAPTION or nothing. */
static void caption(w *o, const nc_node *cap)
{
    PUTS(o->b, "[null,[");
    if (cap)
        blocks(o, cap->first, NULL);
    PUTS(o->b, "]]");
}

static void table(w *o, const nc_node *t)
{
    nc_buf *b = o->b;
    const nc_node *cap = NULL, *head = NULL, *foot = NULL;
    for (const nc_node *c = t->first; c; c = c->next) {
        if (c->kind == NC_CAPTION && !cap)
            cap = c;
        else if (c->kind == NC_TABLE_HEAD && !head)
            head = c;
        else if (c->kind == NC_TABLE_FOOT && !foot)
            foot = c;
    }
    PUTS(b, "{\"t\":\"Table\",\"c\":[");
    attr(b, t->attr, NULL);
    putc1(b, ',');
    caption(o, cap);
    PUTS(b, ",[");
    for (size_t i = 0; i < t->ncols; i++) {
        if (i)
            putc1(b, ',');
        PUTS(b, "[{\"t\":\"");
        nc_buf_puts(b, align_name(t->cols[i].align));
        if (t->cols[i].width > 0)
            nc_buf_printf(b, "\"},{\"t\":\"ColWidth\",\"c\":%.17g}]", t->cols[i].width);
        else
            PUTS(b, "\"},{\"t\":\"ColWidthDefault\"}]");
    }
    PUTS(b, "],[");
    attr(b, head ? head->attr : NULL, NULL);
    putc1(b, ',');
    rows(o, head, -1);
    PUTS(b, "],[");
    bool first = true;
    for (const nc_node *c = t->first; c; c = c->next) {
        if (c->kind != NC_TABLE_BODY)
            continue;
        sep(b, &first);
        putc1(b, '[');
        attr(b, c->attr, NULL);
        nc_buf_printf(b, ",%d,", c->rowhead_cols > 0 ? c->rowhead_cols : 0);
        rows(o, c, 1);
        putc1(b, ',');
        rows(o, c, 0);
        putc1(b, ']');
    }
    PUTS(b, "],[");
    attr(b, foot ? foot->attr : NULL, NULL);
    putc1(b, ',');
    rows(o, foot, -1);
    PUTS(b, "]]}");
}

/* Inline trees equal in what pandoc JSON keeps of them. */
static bool same_inlines(const nc_node *a, const nc_node *b)
{
    nc_buf x = NC_BUF_INIT, y = NC_BUF_INIT;
    w wa = {&x, 23}, wb = {&y, 23};
    inlines(&wa, a);
    inlines(&wb, b);
    bool same = x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
    nc_buf_free(&x);
    nc_buf_free(&y);
    return same;
}

/* pandoc 2's implicit figure, Para [Image alt (src, "fig:" title)], says only as much as a
 * figure with no attributes whose one Plain holds one Image and whose caption is a Plain of
 * that image's alt text (as the reader rebuilds it); anything else goes into a marked Div. */
static const nc_node *implicit_figure(const nc_node *fig)
{
    if (fig->attr && (fig->attr->id && *fig->attr->id))
        return NULL;
    if (fig->attr && (fig->attr->nclasses || fig->attr->nkv))
        return NULL;
    const nc_node *cap = fig->first && fig->first->kind == NC_CAPTION ? fig->first : NULL;
    const nc_node *body = cap ? cap->next : fig->first;
    if (!cap || !body || body->next || body->kind != NC_PLAIN)
        return NULL;
    const nc_node *img = body->first;
    if (!img || img->next || img->kind != NC_IMAGE)
        return NULL;
    const nc_node *cp = cap->first;
    if (!cp || cp->next || cp->kind != NC_PLAIN)
        return NULL;
    return same_inlines(cp, img) ? img : NULL;
}

static void figure(w *o, const nc_node *fig)
{
    nc_buf *b = o->b;
    const nc_node *cap = fig->first && fig->first->kind == NC_CAPTION ? fig->first : NULL;
    const nc_node *body = cap ? cap->next : fig->first;
    if (o->api >= 23) {
        PUTS(b, "{\"t\":\"Figure\",\"c\":[");
        attr(b, fig->attr, NULL);
        putc1(b, ',');
        caption(o, cap);
        PUTS(b, ",[");
        blocks(o, body, NULL);
        PUTS(b, "]]}");
        return;
    }
    const nc_node *img = implicit_figure(fig);
    if (img) {
        PUTS(b, "{\"t\":\"Para\",\"c\":[{\"t\":\"Image\",\"c\":[");
        attr(b, img->attr, NULL);
        putc1(b, ',');
        inlines(o, img);
        target(b, img, "fig:");
        PUTS(b, "]}]}");
        return;
    }
    /* pandoc 2's HTML writer made the same div.figure and p.caption */
    PUTS(b, "{\"t\":\"Div\",\"noteconv-kind\":\"Figure\",\"c\":[");
    attr(b, fig->attr, "figure");
    PUTS(b, ",[");
    blocks(o, body, NULL);
    if (cap) {
        if (body)
            putc1(b, ',');
        PUTS(b, "{\"t\":\"Div\",\"noteconv-kind\":\"Caption\",\"c\":[[\"\",[\"caption\"],[]],[");
        blocks(o, cap->first, NULL);
        PUTS(b, "]]}");
    }
    PUTS(b, "]]}");
}

static void block_node(w *o, const nc_node *n)
{
    nc_buf *b = o->b;
    switch (n->kind) {
    case NC_PLAIN:
    case NC_PARA:
        tag(b, n->kind == NC_PLAIN ? "Plain" : "Para");
        PUTS(b, ",\"c\":");
        inlines(o, n);
        putc1(b, '}');
        break;
    case NC_LINE_BLOCK:
        PUTS(b, "{\"t\":\"LineBlock\",\"c\":[");
        for (const nc_node *l = n->first; l; l = l->next) {
            if (l != n->first)
                putc1(b, ',');
            inlines(o, l);
        }
        PUTS(b, "]}");
        break;
    case NC_CODE_BLOCK:
        PUTS(b, "{\"t\":\"CodeBlock\",\"c\":[");
        attr(b, n->attr, NULL);
        putc1(b, ',');
        str(b, n->text, n->len);
        PUTS(b, "]}");
        break;
    case NC_RAW_BLOCK:
        PUTS(b, "{\"t\":\"RawBlock\",\"c\":[");
        strz(b, n->format ? n->format : "html");
        putc1(b, ',');
        str(b, n->text, n->len);
        PUTS(b, "]}");
        break;
    case NC_BLOCK_QUOTE:
    case NC_DEF_DATA:
    case NC_CAPTION:
    case NC_LIST_ITEM:
    case NC_NOTE:
        /* containers of blocks met where pandoc has no such node keep their blocks in a Div */
        if (n->kind == NC_BLOCK_QUOTE)
            PUTS(b, "{\"t\":\"BlockQuote\",\"c\":[");
        else
            PUTS(b, "{\"t\":\"Div\",\"c\":[[\"\",[],[]],[");
        blocks(o, n->first, NULL);
        nc_buf_puts(b, n->kind == NC_BLOCK_QUOTE ? "]}" : "]]}");
        break;
    case NC_ORDERED_LIST: {
        static const char *const styles[] = {"DefaultStyle", "Example",    "Decimal",
                                              "LowerRoman",   "UpperRoman", "LowerAlpha",
                                              "UpperAlpha"};
        static const char *const delims[] = {"DefaultDelim", "Period", "OneParen", "TwoParens"};
        unsigned st = (unsigned)n->style < 7 ? (unsigned)n->style : 0;
        unsigned de = (unsigned)n->delim < 4 ? (unsigned)n->delim : 0;
        nc_buf_printf(b, "{\"t\":\"OrderedList\",\"c\":[[%d,{\"t\":\"%s\"},{\"t\":\"%s\"}],",
                      n->start, styles[st], delims[de]);
        list_items(o, n);
        PUTS(b, "]}");
        break;
    }
    case NC_BULLET_LIST:
        PUTS(b, "{\"t\":\"BulletList\",\"c\":");
        list_items(o, n);
        putc1(b, '}');
        break;
    case NC_DEFINITION_LIST:
        PUTS(b, "{\"t\":\"DefinitionList\",\"c\":[");
        for (const nc_node *it = n->first; it; it = it->next) {
            if (it != n->first)
                putc1(b, ',');
            const nc_node *term = it->first && it->first->kind == NC_DEF_TERM ? it->first : NULL;
            putc1(b, '[');
            if (term)
                inlines(o, term);
            else
                PUTS(b, "[]");
            PUTS(b, ",[");
            bool first = true;
            for (const nc_node *d = term ? term->next : it->first; d; d = d->next) {
                sep(b, &first);
                putc1(b, '[');
                blocks(o, d->first, NULL);
                putc1(b, ']');
            }
            PUTS(b, "]]");
        }
        PUTS(b, "]}");
        break;
    case NC_HEADER:
        nc_buf_printf(b, "{\"t\":\"Header\",\"c\":[%d,", n->level >= 1 ? n->level : 1);
        attr(b, n->attr, NULL);
        putc1(b, ',');
        inlines(o, n);
        PUTS(b, "]}");
        break;
    case NC_HORIZONTAL_RULE:
        PUTS(b, "{\"t\":\"HorizontalRule\"}");
        break;
    case NC_TABLE:
        table(o, n);
        break;
    case NC_FIGURE:
        figure(o, n);
        break;
    case NC_DIV:
        PUTS(b, "{\"t\":\"Div\",\"c\":[");
        attr(b, n->attr, NULL);
        PUTS(b, ",[");
        blocks(o, n->first, NULL);
        PUTS(b, "]]}");
        break;
    default:
        /* inlines where blocks belong: a Plain keeps them */
        PUTS(b, "{\"t\":\"Plain\",\"c\":[");
        {
            bool first = true;
            inline_node(o, n, &first);
        }
        PUTS(b, "]}");
        break;
    }
}

/* The blocks from first up to (not including) stop, comma-separated. */
static void blocks(w *o, const nc_node *first, const nc_node *stop)
{
    for (const nc_node *n = first; n && n != stop; n = n->next) {
        if (n != first)
            putc1(o->b, ',');
        block_node(o, n);
    }
}

static void meta(w *o, const nc_meta *m)
{
    nc_buf *b = o->b;
    switch (m->kind) {
    case NC_META_MAP:
        PUTS(b, "{\"t\":\"MetaMap\",\"c\":{");
        for (size_t i = 0; i < m->n; i++) {
            if (i)
                putc1(b, ',');
            strz(b, m->keys[i]);
            putc1(b, ':');
            meta(o, m->items[i]);
        }
        PUTS(b, "}}");
        break;
    case NC_META_LIST:
        PUTS(b, "{\"t\":\"MetaList\",\"c\":[");
        for (size_t i = 0; i < m->n; i++) {
            if (i)
                putc1(b, ',');
            meta(o, m->items[i]);
        }
        PUTS(b, "]}");
        break;
    case NC_META_BOOL:
        PUTS(b, "{\"t\":\"MetaBool\",\"c\":");
        nc_buf_puts(b, m->b ? "true" : "false");
        putc1(b, '}');
        break;
    case NC_META_STRING:
    case NC_META_NUMBER:
        /* pandoc reads YAML scalars as inlines; only the empty string stays a MetaString */
        if (!m->str || !m->len) {
            PUTS(b, "{\"t\":\"MetaString\",\"c\":\"\"}");
            break;
        }
        PUTS(b, "{\"t\":\"MetaInlines\",\"c\":[");
        {
            bool first = true;
            put_str(b, m->str, m->len, &first);
        }
        PUTS(b, "]}");
        break;
    case NC_META_INLINES:
        PUTS(b, "{\"t\":\"MetaInlines\",\"c\":");
        if (m->node)
            inlines(o, m->node);
        else
            PUTS(b, "[]");
        putc1(b, '}');
        break;
    case NC_META_BLOCKS:
        PUTS(b, "{\"t\":\"MetaBlocks\",\"c\":[");
        if (m->node)
            blocks(o, m->node->first, NULL);
        PUTS(b, "]}");
        break;
    }
}

int nc_json_api(const nc_options *opt)
{
    int api = opt && opt->pandoc_api ? opt->pandoc_api : NC_PANDOC_API_DEFAULT;
    return api == 22 ? 22 : 23;
}

static int render_json(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    NC_UNUSED(diag);
    w o = {out, nc_json_api(opt)};
    /* the versions that pandoc 2.17 and pandoc 3.1 write */
    if (o.api == 22)
        PUTS(out, "{\"pandoc-api-version\":[1,22,2,1],\"meta\":{");
    else
        PUTS(out, "{\"pandoc-api-version\":[1,23,1],\"meta\":{");
    const nc_meta *m = nc_doc_meta(doc);
    for (size_t i = 0; i < m->n; i++) {
        if (i)
            putc1(out, ',');
        strz(out, m->keys[i]);
        putc1(out, ':');
        meta(&o, m->items[i]);
    }
    PUTS(out, "},\"blocks\":[");
    const nc_node *root = nc_doc_root(doc);
    blocks(&o, root->first, NULL);
    PUTS(out, "]}\n");
    return 0;
}

const nc_writer nc_writer_json = {
    "json",
    ".json",
    "pandoc's JSON AST (pandoc-api 1.22 or 1.23, see --pandoc-api)",
    false,
    render_json,
};
