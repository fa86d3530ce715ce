/* json_reader.c — the -f json reader: pandoc's JSON AST (pandoc-api 1.22 and 1.23) into the
 * document model, through jansson. Bad input gives one error naming where it is (a line and
 * column for JSON syntax, a JSON path for a wrong shape); it must never crash or recurse
 * without bound (jansson stops at JSON_PARSER_MAX_DEPTH, we at opt->max_depth). */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct rd {
    nc_doc *doc;
    nc_pos pos; /* the input file; jansson keeps no positions of values */
    int max_depth, depth;
    const json_t *bad; /* the value the first error is about */
    nc_buf why;
    nc_buf text; /* a run of Str and Space being joined into one Str */
    const nc_node *caption; /* the last Div marked as a figure's caption */
} rd;

static int fail(rd *r, const json_t *v, const char *fmt, ...) NC_PRINTF(3, 4);

static int fail(rd *r, const json_t *v, const char *fmt, ...)
{
    if (r->bad || r->why.len)
        return -1;
    r->bad = v;
    va_list ap;
    va_start(ap, fmt);
    nc_buf_vprintf(&r->why, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *type_name(const json_t *v)
{
    switch (v ? json_typeof(v) : JSON_NULL) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* The array v, which must have n elements (SIZE_MAX: any number). */
static const json_t *array(rd *r, const json_t *v, size_t n, const char *what)
{
    if (!json_is_array(v)) {
        fail(r, v, "%s: expected an array, found %s", what, type_name(v));
        return NULL;
    }
    if (n != SIZE_MAX && json_array_size(v) != n) {
        fail(r, v, "%s: expected %zu elements, found %zu", what, n, json_array_size(v));
        return NULL;
    }
    return v;
}

static const char *string(rd *r, const json_t *v, size_t *len, const char *what)
{
    if (!json_is_string(v)) {
        fail(r, v, "%s: expected a string, found %s", what, type_name(v));
        return NULL;
    }
    *len = json_string_length(v);
    return json_string_value(v);
}

static const char *arena_string(rd *r, const json_t *v, const char *what)
{
    size_t len;
    const char *s = string(r, v, &len, what);
    return s ? nc_doc_strndup(r->doc, s, len) : NULL;
}

static int integer(rd *r, const json_t *v, long lo, long hi, const char *what, int *out)
{
    double d;
    if (json_is_integer(v))
        d = (double)json_integer_value(v);
    else if (json_is_real(v))
        d = json_real_value(v);
    else
        return fail(r, v, "%s: expected a number, found %s", what, type_name(v));
    if (d != (double)(long)d || d < (double)lo || d > (double)hi)
        return fail(r, v, "%s: expected a whole number from %ld to %ld", what, lo, hi);
    *out = (int)d;
    return 0;
}

/* {"t": NAME, "c": ...}: NAME, and the contents in *c (NULL when absent). */
static const char *tagged(rd *r, const json_t *v, const json_t **c, const char *what)
{
    if (!json_is_object(v)) {
        fail(r, v, "%s: expected an object with \"t\", found %s", what, type_name(v));
        return NULL;
    }
    const json_t *t = json_object_get(v, "t");
    if (!json_is_string(t)) {
        fail(r, v, "%s: expected an object with a string \"t\"", what);
        return NULL;
    }
    *c = json_object_get(v, "c");
    return json_string_value(t);
}

/* The name of a {"t": NAME} without contents that is one of names[0..n). */
static int enum_value(rd *r, const json_t *v, const char *const *names, int n, const char *what)
{
    const json_t *c;
    const char *t = tagged(r, v, &c, what);
    if (!t)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(t, names[i]) == 0)
            return i;
    fail(r, v, "%s: unknown value \"%s\"", what, t);
    return -1;
}

static const char *extra(const json_t *v, const char *key)
{
    return json_string_value(json_object_get(v, key));
}

static int attr(rd *r, nc_node *n, const json_t *v)
{
    const json_t *a = array(r, v, 3, "Attr");
    if (!a)
        return -1;
    size_t idlen = 0;
    const char *id = string(r, json_array_get(a, 0), &idlen, "Attr identifier");
    const json_t *cls = array(r, json_array_get(a, 1), SIZE_MAX, "Attr classes");
    const json_t *kvs = array(r, json_array_get(a, 2), SIZE_MAX, "Attr key-value pairs");
    if (!id || !cls || !kvs)
        return -1;
    size_t nc = json_array_size(cls), nkv = json_array_size(kvs);
    if (!idlen && !nc && !nkv)
        return 0;
    nc_attr *at = nc_doc_alloc(r->doc, sizeof *at);
    memset(at, 0, sizeof *at);
    at->id = nc_doc_strndup(r->doc, id, idlen);
    at->classes = nc_doc_alloc(r->doc, (nc ? nc : 1) * sizeof *at->classes);
    for (size_t i = 0; i < nc; i++)
        if (!(at->classes[i] = arena_string(r, json_array_get(cls, i), "class")))
            return -1;
    at->nclasses = nc;
    at->keys = nc_doc_alloc(r->doc, (nkv ? nkv : 1) * sizeof *at->keys);
    at->values = nc_doc_alloc(r->doc, (nkv ? nkv : 1) * sizeof *at->values);
    for (size_t i = 0; i < nkv; i++) {
        const json_t *kv = array(r, json_array_get(kvs, i), 2, "Attr key-value pair");
        if (!kv || !(at->keys[i] = arena_string(r, json_array_get(kv, 0), "attribute name")) ||
            !(at->values[i] = arena_string(r, json_array_get(kv, 1), "attribute value")))
            return -1;
    }
    at->nkv = nkv;
    n->attr = at;
    return 0;
}

static int blocks(rd *r, const json_t *v, nc_node *parent);
static int inlines(rd *r, const json_t *v, nc_node *parent);

static nc_node *add(rd *r, nc_node *parent, nc_kind kind)
{
    nc_node *n = nc_node_new(r->doc, kind, &r->pos);
    nc_node_append(parent, n);
    return n;
}

static int enter(rd *r, const json_t *v)
{
    if (++r->depth > r->max_depth)
        return fail(r, v, "nesting deeper than %d levels (see --max-depth)", r->max_depth);
    return 0;
}

static void flush_text(rd *r, nc_node *parent)
{
    if (!r->text.len)
        return;
    nc_node *s = add(r, parent, NC_STR);
    nc_node_set_text(r->doc, s, r->text.ptr, r->text.len);
    nc_buf_clear(&r->text);
}

static int text_node(rd *r, nc_node *n, const json_t *c, const char *what)
{
    size_t len;
    const char *s = string(r, c, &len, what);
    if (!s)
        return -1;
    nc_node_set_text(r->doc, n, s, len);
    return 0;
}

/* [Attr, [Inline], [url, title]] */
static int link(rd *r, nc_node *n, const json_t *c, const char *what)
{
    const json_t *a = array(r, c, 3, what);
    if (!a || attr(r, n, json_array_get(a, 0)) || inlines(r, json_array_get(a, 1), n))
        return -1;
    const json_t *t = array(r, json_array_get(a, 2), 2, "Target");
    if (!t || !(n->url = arena_string(r, json_array_get(t, 0), "URL")) ||
        !(n->title = arena_string(r, json_array_get(t, 1), "title")))
        return -1;
    return 0;
}

static const char *const quote_names[] = {"SingleQuote", "DoubleQuote"};
static const char *const math_names[] = {"InlineMath", "DisplayMath"};

typedef struct simple {
    const char *name;
    nc_kind kind;
} simple;

static const simple containers[] = {
    {"Emph", NC_EMPH},           {"Strong", NC_STRONG},       {"Underline", NC_UNDERLINE},
    {"Strikeout", NC_STRIKEOUT}, {"Superscript", NC_SUPERSCRIPT}, {"Subscript", NC_SUBSCRIPT},
    {"SmallCaps", NC_SMALL_CAPS},
};

static int inline_node(rd *r, const json_t *v, nc_node *parent)
{
    const json_t *c;
    const char *t = tagged(r, v, &c, "Inline");
    if (!t)
        return -1;
    if (strcmp(t, "Str") == 0 || strcmp(t, "Space") == 0) {
        if (t[1] == 'p') {
            nc_buf_putc(&r->text, ' ');
            return 0;
        }
        size_t len;
        const char *s = string(r, c, &len, "Str");
        if (!s)
            return -1;
        nc_buf_put(&r->text, s, len);
        return 0;
    }
    flush_text(r, parent);
    if (enter(r, v))
        return -1;
    int rc = 0;
    nc_node *n;
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcmp(t, containers[i].name) == 0) {
            rc = inlines(r, c, add(r, parent, containers[i].kind));
            goto done;
        }
    if (strcmp(t, "SoftBreak") == 0) {
        add(r, parent, NC_SOFT_BREAK);
    } else if (strcmp(t, "LineBreak") == 0) {
        add(r, parent, NC_LINE_BREAK);
    } else if (strcmp(t, "Code") == 0) {
        const json_t *a = array(r, c, 2, "Code");
        n = add(r, parent, NC_CODE);
        rc = !a || attr(r, n, json_array_get(a, 0)) ||
                     text_node(r, n, json_array_get(a, 1), "Code text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "Link") == 0 || strcmp(t, "Image") == 0) {
        rc = link(r, add(r, parent, t[0] == 'L' ? NC_LINK : NC_IMAGE), c, t);
    } else if (strcmp(t, "Note") == 0) {
        n = add(r, parent, NC_NOTE);
        const char *label = extra(v, "noteconv-label");
        if (label)
            n->label = nc_doc_strdup(r->doc, label);
        rc = blocks(r, c, n);
    } else if (strcmp(t, "Span") == 0) {
        const json_t *a = array(r, c, 2, "Span");
        n = add(r, parent, NC_SPAN);
        rc = !a || attr(r, n, json_array_get(a, 0)) || inlines(r, json_array_get(a, 1), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "RawInline") == 0) {
        const json_t *a = array(r, c, 2, "RawInline");
        n = add(r, parent, NC_RAW_INLINE);
        rc = !a || !(n->format = arena_string(r, json_array_get(a, 0), "raw format")) ||
                     text_node(r, n, json_array_get(a, 1), "RawInline text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "Math") == 0) {
        const json_t *a = array(r, c, 2, "Math");
        n = add(r, parent, NC_MATH);
        int m = a ? enum_value(r, json_array_get(a, 0), math_names, 2, "MathType") : -1;
        rc = m < 0 || text_node(r, n, json_array_get(a, 1), "Math text") ? -1 : 0;
        n->math = m == 1 ? NC_MATH_DISPLAY : NC_MATH_INLINE;
    } else if (strcmp(t, "Quoted") == 0) {
        const json_t *a = array(r, c, 2, "Quoted");
        n = add(r, parent, NC_QUOTED);
        int q = a ? enum_value(r, json_array_get(a, 0), quote_names, 2, "QuoteType") : -1;
        n->quote = q == 1 ? NC_QUOTE_DOUBLE : NC_QUOTE_SINGLE;
        rc = q < 0 || inlines(r, json_array_get(a, 1), n) ? -1 : 0;
    } else if (strcmp(t, "Cite") == 0) {
        /* the citations are kept as JSON: nothing in noteconv reads them, writers give them
           back to pandoc as they came */
        const json_t *a = array(r, c, 2, "Cite");
        const json_t *cites = a ? array(r, json_array_get(a, 0), SIZE_MAX, "citations") : NULL;
        n = add(r, parent, NC_CITE);
        if (!cites)
            rc = -1;
        else {
            char *js = json_dumps(cites, JSON_COMPACT | JSON_ENCODE_ANY);
            nc_node_set_text(r->doc, n, js ? js : "[]", js ? strlen(js) : 2);
            free(js);
            rc = inlines(r, json_array_get(a, 1), n);
        }
    } else {
        rc = fail(r, v, "unknown Inline kind \"%s\"", t);
    }
done:
    r->depth--;
    return rc;
}

static int inlines(rd *r, const json_t *v, nc_node *parent)
{
    if (!array(r, v, SIZE_MAX, "[Inline]"))
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (inline_node(r, e, parent))
            return -1;
    }
    flush_text(r, parent);
    return 0;
}

/* A pandoc 2 implicit figure: a Para of one Image whose title starts with "fig:"; its alt
 * text is the caption. */
static void implicit_figure(rd *r, nc_node *para)
{
    nc_node *img = para->first;
    if (!img || img->next || img->kind != NC_IMAGE || !img->title ||
        strncmp(img->title, "fig:", 4) != 0)
        return;
    img->title += 4;
    nc_node *fig = nc_node_new(r->doc, NC_FIGURE, &r->pos);
    nc_node *cap = nc_node_new(r->doc, NC_CAPTION, &r->pos);
    nc_node *cp = nc_node_new(r->doc, NC_PLAIN, &r->pos);
    for (nc_node *k = img->first; k; k = k->next)
        nc_node_append(cp, nc_node_copy(r->doc, k));
    nc_node_append(cap, cp);
    nc_node_append(fig, cap);
    nc_node_insert_before(para, fig);
    nc_node_unlink(para);
    para->kind = NC_PLAIN;
    nc_node_append(fig, para);
}

/* pandoc writes a GFM task item as a first Plain or Para starting with ☐ or ☒ and a space. */
static void task_item(nc_node *item)
{
    nc_node *p = item->first;
    if (!p || (p->kind != NC_PLAIN && p->kind != NC_PARA))
        return;
    nc_node *s = p->first;
    if (!s || s->kind != NC_STR || s->len < 3)
        return;
    nc_task task;
    if (memcmp(s->text, "\xE2\x98\x90", 3) == 0)
        task = NC_TASK_OPEN;
    else if (memcmp(s->text, "\xE2\x98\x92", 3) == 0)
        task = NC_TASK_DONE;
    else
        return;
    if (s->len == 3) {
        nc_node_unlink(s);
        if (!p->first)
            nc_node_unlink(p);
    } else if (s->text[3] == ' ') {
        s->text += 4;
        s->len -= 4;
        if (!s->len)
            nc_node_unlink(s);
    } else {
        return;
    }
    item->task = task;
}

static int list_items(rd *r, const json_t *v, nc_node *list)
{
    if (!array(r, v, SIZE_MAX, "list items"))
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        nc_node *item = add(r, list, NC_LIST_ITEM);
        if (blocks(r, e, item))
            return -1;
        task_item(item);
    }
    return 0;
}

static const char *const align_names[] = {"AlignDefault", "AlignLeft", "AlignRight",
                                          "AlignCenter"};

/* [[Attr, [Cell]]]: the rows; head marks an intermediate head of a body */
static int rows(rd *r, const json_t *v, nc_node *sec, bool head)
{
    if (!array(r, v, SIZE_MAX, "table rows"))
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        const json_t *row = array(r, e, 2, "Row");
        if (!row)
            return -1;
        nc_node *rn = add(r, sec, NC_TABLE_ROW);
        rn->head = head;
        const json_t *cells = array(r, json_array_get(row, 1), SIZE_MAX, "Row cells");
        if (attr(r, rn, json_array_get(row, 0)) || !cells)
            return -1;
        size_t k;
        json_t *ce;
        json_array_foreach(cells, k, ce)
        {
            const json_t *cell = array(r, ce, 5, "Cell");
            if (!cell)
                return -1;
            nc_node *cn = add(r, rn, NC_TABLE_CELL);
            int al = enum_value(r, json_array_get(cell, 1), align_names, 4, "Alignment");
            if (attr(r, cn, json_array_get(cell, 0)) || al < 0 ||
                integer(r, json_array_get(cell, 2), 1, 65535, "RowSpan", &cn->rowspan) ||
                integer(r, json_array_get(cell, 3), 1, 65535, "ColSpan", &cn->colspan) ||
                blocks(r, json_array_get(cell, 4), cn))
                return -1;
            cn->align = (nc_align)al;
        }
    }
    return 0;
}

/* [Maybe ShortCaption, [Block]]: an NC_CAPTION when there is anything in it */
static int caption(rd *r, const json_t *v, nc_node *parent)
{
    const json_t *a = array(r, v, 2, "Caption");
    if (!a)
        return -1;
    const json_t *bl = array(r, json_array_get(a, 1), SIZE_MAX, "Caption blocks");
    if (!bl)
        return -1;
    if (!json_array_size(bl))
        return 0;
    return blocks(r, bl, add(r, parent, NC_CAPTION));
}

static int table(rd *r, nc_node *t, const json_t *c)
{
    const json_t *a = array(r, c, 6, "Table");
    if (!a || attr(r, t, json_array_get(a, 0)) || caption(r, json_array_get(a, 1), t))
        return -1;
    const json_t *specs = array(r, json_array_get(a, 2), SIZE_MAX, "ColSpecs");
    if (!specs)
        return -1;
    t->ncols = json_array_size(specs);
    t->cols = nc_doc_alloc(r->doc, (t->ncols ? t->ncols : 1) * sizeof *t->cols);
    for (size_t i = 0; i < t->ncols; i++) {
        const json_t *cs = array(r, json_array_get(specs, i), 2, "ColSpec");
        int al = cs ? enum_value(r, json_array_get(cs, 0), align_names, 4, "Alignment") : -1;
        if (al < 0)
            return -1;
        t->cols[i].align = (nc_align)al;
        t->cols[i].width = 0;
        const json_t *wc;
        const char *wt = tagged(r, json_array_get(cs, 1), &wc, "ColWidth");
        if (!wt)
            return -1;
        if (strcmp(wt, "ColWidth") == 0) {
            if (!json_is_number(wc))
                return fail(r, json_array_get(cs, 1), "ColWidth: expected a number");
            t->cols[i].width = json_number_value(wc);
        } else if (strcmp(wt, "ColWidthDefault") != 0) {
            return fail(r, json_array_get(cs, 1), "ColWidth: unknown value \"%s\"", wt);
        }
    }
    const json_t *head = array(r, json_array_get(a, 3), 2, "TableHead");
    nc_node *hn = add(r, t, NC_TABLE_HEAD);
    if (!head || attr(r, hn, json_array_get(head, 0)) ||
        rows(r, json_array_get(head, 1), hn, false))
        return -1;
    const json_t *bodies = array(r, json_array_get(a, 4), SIZE_MAX, "TableBodies");
    if (!bodies)
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(bodies, i, e)
    {
        const json_t *body = array(r, e, 4, "TableBody");
        nc_node *bn = add(r, t, NC_TABLE_BODY);
        if (!body || attr(r, bn, json_array_get(body, 0)) ||
            integer(r, json_array_get(body, 1), 0, 65535, "RowHeadColumns", &bn->rowhead_cols) ||
            rows(r, json_array_get(body, 2), bn, true) ||
            rows(r, json_array_get(body, 3), bn, false))
            return -1;
    }
    const json_t *foot = array(r, json_array_get(a, 5), 2, "TableFoot");
    nc_node *fn = add(r, t, NC_TABLE_FOOT);
    if (!foot || attr(r, fn, json_array_get(foot, 0)) ||
        rows(r, json_array_get(foot, 1), fn, false))
        return -1;
    return 0;
}

/* A Div that our writer made for a figure under pandoc-api 1.22: its first class is the
 * "figure" that was added, its last block the caption. */
static void marked_figure(rd *r, nc_node *n)
{
    n->kind = NC_FIGURE;
    nc_attr *a = n->attr;
    if (a && a->nclasses && strcmp(a->classes[0], "figure") == 0) {
        a->classes++;
        a->nclasses--;
    }
    if (n->last && n->last == r->caption) {
        nc_node *cap = n->last;
        nc_node_unlink(cap);
        cap->kind = NC_CAPTION;
        cap->attr = NULL;
        nc_node_prepend(n, cap);
    }
}

static const char *const style_names[] = {"DefaultStyle", "Example",    "Decimal",
                                          "LowerRoman",   "UpperRoman", "LowerAlpha",
                                          "UpperAlpha"};
static const char *const delim_names[] = {"DefaultDelim", "Period", "OneParen", "TwoParens"};

static int block_node(rd *r, const json_t *v, nc_node *parent)
{
    const json_t *c;
    const char *t = tagged(r, v, &c, "Block");
    if (!t)
        return -1;
    if (enter(r, v))
        return -1;
    int rc = 0;
    nc_node *n;
    if (strcmp(t, "Para") == 0 || strcmp(t, "Plain") == 0) {
        n = add(r, parent, t[1] == 'a' ? NC_PARA : NC_PLAIN);
        rc = inlines(r, c, n);
        if (!rc && n->kind == NC_PARA)
            implicit_figure(r, n);
    } else if (strcmp(t, "Header") == 0) {
        const json_t *a = array(r, c, 3, "Header");
        n = add(r, parent, NC_HEADER);
        rc = !a || integer(r, json_array_get(a, 0), 1, 6, "Header level", &n->level) ||
                     attr(r, n, json_array_get(a, 1)) || inlines(r, json_array_get(a, 2), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "CodeBlock") == 0) {
        const json_t *a = array(r, c, 2, "CodeBlock");
        n = add(r, parent, NC_CODE_BLOCK);
        rc = !a || attr(r, n, json_array_get(a, 0)) ||
                     text_node(r, n, json_array_get(a, 1), "CodeBlock text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "RawBlock") == 0) {
        const json_t *a = array(r, c, 2, "RawBlock");
        n = add(r, parent, NC_RAW_BLOCK);
        rc = !a || !(n->format = arena_string(r, json_array_get(a, 0), "raw format")) ||
                     text_node(r, n, json_array_get(a, 1), "RawBlock text")
                 ? -1
                 : 0;
    } else if (strcmp(t, "BulletList") == 0) {
        rc = list_items(r, c, add(r, parent, NC_BULLET_LIST));
    } else if (strcmp(t, "OrderedList") == 0) {
        const json_t *a = array(r, c, 2, "OrderedList");
        const json_t *la = a ? array(r, json_array_get(a, 0), 3, "ListAttributes") : NULL;
        n = add(r, parent, NC_ORDERED_LIST);
        int st = la ? enum_value(r, json_array_get(la, 1), style_names, 7, "ListNumberStyle")
                    : -1;
        int de = st >= 0 ? enum_value(r, json_array_get(la, 2), delim_names, 4,
                                      "ListNumberDelim")
                         : -1;
        if (de < 0 || integer(r, json_array_get(la, 0), -2147483647L, 2147483647L,
                              "list start", &n->start))
            rc = -1;
        else {
            n->style = (nc_list_style)st;
            n->delim = (nc_list_delim)de;
            rc = list_items(r, json_array_get(a, 1), n);
        }
    } else if (strcmp(t, "BlockQuote") == 0) {
        rc = blocks(r, c, add(r, parent, NC_BLOCK_QUOTE));
    } else if (strcmp(t, "Div") == 0) {
        const json_t *a = array(r, c, 2, "Div");
        n = add(r, parent, NC_DIV);
        const char *kind = extra(v, "noteconv-kind");
        rc = !a || attr(r, n, json_array_get(a, 0)) || blocks(r, json_array_get(a, 1), n) ? -1
                                                                                           : 0;
        if (!rc && kind && strcmp(kind, "Figure") == 0)
            marked_figure(r, n);
        else if (!rc && kind && strcmp(kind, "Caption") == 0)
            r->caption = n; /* the figure around it takes it as its caption */
    } else if (strcmp(t, "Table") == 0) {
        rc = table(r, add(r, parent, NC_TABLE), c);
    } else if (strcmp(t, "Figure") == 0) {
        const json_t *a = array(r, c, 3, "Figure");
        n = add(r, parent, NC_FIGURE);
        rc = !a || attr(r, n, json_array_get(a, 0)) || caption(r, json_array_get(a, 1), n) ||
                     blocks(r, json_array_get(a, 2), n)
                 ? -1
                 : 0;
    } else if (strcmp(t, "HorizontalRule") == 0) {
        add(r, parent, NC_HORIZONTAL_RULE);
    } else if (strcmp(t, "LineBlock") == 0) {
        n = add(r, parent, NC_LINE_BLOCK);
        if (!array(r, c, SIZE_MAX, "LineBlock"))
            rc = -1;
        size_t i;
        json_t *e;
        json_array_foreach(c, i, e)
        {
            if (rc || (rc = inlines(r, e, add(r, n, NC_LINE))) != 0)
                break;
        }
    } else if (strcmp(t, "DefinitionList") == 0) {
        n = add(r, parent, NC_DEFINITION_LIST);
        if (!array(r, c, SIZE_MAX, "DefinitionList"))
            rc = -1;
        size_t i;
        json_t *e;
        json_array_foreach(c, i, e)
        {
            const json_t *item = array(r, e, 2, "definition");
            const json_t *defs = item ? array(r, json_array_get(item, 1), SIZE_MAX,
                                              "definitions")
                                      : NULL;
            nc_node *it = add(r, n, NC_DEF_ITEM);
            if (!defs || inlines(r, json_array_get(item, 0), add(r, it, NC_DEF_TERM))) {
                rc = -1;
                break;
            }
            size_t k;
            json_t *d;
            json_array_foreach(defs, k, d)
            {
                if ((rc = blocks(r, d, add(r, it, NC_DEF_DATA))) != 0)
                    break;
            }
            if (rc)
                break;
        }
    } else if (strcmp(t, "Null") == 0) {
        /* pandoc-api 1.22's empty block */
    } else {
        rc = fail(r, v, "unknown Block kind \"%s\"", t);
    }
    r->depth--;
    return rc;
}

static int blocks(rd *r, const json_t *v, nc_node *parent)
{
    if (!array(r, v, SIZE_MAX, "[Block]"))
        return -1;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (block_node(r, e, parent))
            return -1;
    }
    return 0;
}

/* pandoc's YAML numbers come as inlines of one Str; ours are numbers again */
static bool is_number(const char *s, size_t n)
{
    if (!n || n > 40)
        return false;
    char tmp[48], *end;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (!(tmp[0] == '-' || tmp[0] == '+' || (tmp[0] >= '0' && tmp[0] <= '9')))
        return false;
    strtod(tmp, &end);
    return *end == '\0' && !strpbrk(tmp, "xXnN");
}

static nc_meta *meta(rd *r, const json_t *v)
{
    const json_t *c;
    const char *t = tagged(r, v, &c, "MetaValue");
    if (!t || enter(r, v))
        return NULL;
    nc_meta *m = NULL;
    if (strcmp(t, "MetaMap") == 0) {
        if (!json_is_object(c)) {
            fail(r, v, "MetaMap: expected an object, found %s", type_name(c));
        } else {
            m = nc_meta_new(r->doc, NC_META_MAP);
            const char *key;
            json_t *e;
            json_object_foreach((json_t *)c, key, e)
            {
                nc_meta *x = meta(r, e);
                if (!x) {
                    m = NULL;
                    break;
                }
                nc_meta_set(r->doc, m, key, x);
            }
        }
    } else if (strcmp(t, "MetaList") == 0) {
        if (array(r, c, SIZE_MAX, "MetaList")) {
            m = nc_meta_new(r->doc, NC_META_LIST);
            size_t i;
            json_t *e;
            json_array_foreach(c, i, e)
            {
                nc_meta *x = meta(r, e);
                if (!x) {
                    m = NULL;
                    break;
                }
                nc_meta_push(r->doc, m, x);
            }
        }
    } else if (strcmp(t, "MetaBool") == 0) {
        if (!json_is_boolean(c)) {
            fail(r, v, "MetaBool: expected a boolean, found %s", type_name(c));
        } else {
            m = nc_meta_new(r->doc, NC_META_BOOL);
            m->b = json_is_true(c);
        }
    } else if (strcmp(t, "MetaString") == 0) {
        size_t len;
        const char *s = string(r, c, &len, "MetaString");
        if (s)
            m = nc_meta_new_string(r->doc, s, len);
    } else if (strcmp(t, "MetaInlines") == 0 || strcmp(t, "MetaBlocks") == 0) {
        bool inl = t[4] == 'I';
        nc_node *holder = nc_node_new(r->doc, inl ? NC_PLAIN : NC_DIV, &r->pos);
        if ((inl ? inlines(r, c, holder) : blocks(r, c, holder)) == 0) {
            /* plain text (what YAML strings become) is a string again */
            bool plain = inl;
            for (const nc_node *k = holder->first; plain && k; k = k->next)
                plain = k->kind == NC_STR || k->kind == NC_SOFT_BREAK || k->kind == NC_SPACE;
            if (plain) {
                nc_buf s = NC_BUF_INIT;
                for (const nc_node *k = holder->first; k; k = k->next)
                    if (k->kind == NC_STR)
                        nc_buf_put(&s, k->text, k->len);
                    else
                        nc_buf_putc(&s, k->kind == NC_SPACE ? ' ' : '\n');
                bool num = holder->first && !holder->first->next && is_number(s.ptr, s.len);
                m = nc_meta_new_string(r->doc, nc_buf_cstr(&s), s.len);
                if (num) {
                    m->kind = NC_META_NUMBER;
                    m->num = strtod(m->str, NULL);
                }
                nc_buf_free(&s);
            } else {
                m = nc_meta_new(r->doc, inl ? NC_META_INLINES : NC_META_BLOCKS);
                m->node = holder;
            }
        }
    } else {
        fail(r, v, "unknown MetaValue kind \"%s\"", t);
    }
    if (m)
        m->pos = r->pos;
    r->depth--;
    return m;
}

/* Where v sits under root, as a JSON path ($.blocks[3].c[1]); false when it is not there. */
static bool path_to(const json_t *root, const json_t *v, nc_buf *out)
{
    if (root == v)
        return true;
    size_t mark = out->len;
    if (json_is_array(root)) {
        size_t i;
        json_t *e;
        json_array_foreach(root, i, e)
        {
            nc_buf_printf(out, "[%zu]", i);
            if (path_to(e, v, out))
                return true;
            nc_buf_truncate(out, mark);
        }
    } else if (json_is_object(root)) {
        const char *k;
        json_t *e;
        json_object_foreach((json_t *)root, k, e)
        {
            nc_buf_printf(out, ".%s", k);
            if (path_to(e, v, out))
                return true;
            nc_buf_truncate(out, mark);
        }
    }
    return false;
}

static void report_shape(rd *r, const json_t *root, nc_diag *diag)
{
    nc_buf where = NC_BUF_INIT;
    nc_buf_putc(&where, '$');
    if (r->bad && !path_to(root, r->bad, &where))
        nc_buf_truncate(&where, 1);
    const char *t = json_is_object(r->bad) ? json_string_value(json_object_get(r->bad, "t"))
                                           : NULL;
    nc_diag_report(diag, NC_DIAG_ERROR, &r->pos, "pandoc JSON at %s%s%s%s: %s",
                   nc_buf_cstr(&where), t ? " (" : "", t ? t : "", t ? ")" : "",
                   nc_buf_cstr(&r->why));
    nc_buf_free(&where);
}

/* The line and byte column of offset off in data. */
static nc_pos position(const char *file, const char *data, size_t len, size_t off)
{
    nc_pos p = {file, 1, 1};
    if (off > len)
        off = len;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n') {
            p.line++;
            bol = i + 1;
        }
    p.col = (uint32_t)(off - bol + 1);
    return p;
}

static int version(rd *r, const json_t *root, nc_diag *diag)
{
    const json_t *v = json_object_get(root, "pandoc-api-version");
    json_int_t major = -1, minor = -1;
    if (json_is_array(v) && json_array_size(v) >= 2 && json_is_integer(json_array_get(v, 0)) &&
        json_is_integer(json_array_get(v, 1))) {
        major = json_integer_value(json_array_get(v, 0));
        minor = json_integer_value(json_array_get(v, 1));
    }
    if (major == 1 && (minor == 22 || minor == 23))
        return 0;
    if (!v)
        nc_diag_report(diag, NC_DIAG_ERROR, &r->pos,
                       "not pandoc JSON: no \"pandoc-api-version\" (pandoc before 2.0 wrote "
                       "another form; noteconv reads pandoc-api 1.22 and 1.23)");
    else if (major < 0)
        nc_diag_report(diag, NC_DIAG_ERROR, &r->pos,
                       "\"pandoc-api-version\" should be a list of numbers like [1,23]");
    else
        nc_diag_report(diag, NC_DIAG_ERROR, &r->pos,
                       "pandoc-api-version %lld.%lld is not supported: noteconv reads 1.22 "
                       "(pandoc 2.11 to 2.19) and 1.23 (pandoc 3)",
                       (long long)major, (long long)minor);
    return -1;
}

static int read_json(nc_doc *doc, const char *data, size_t len, const char *path,
                     const nc_options *opt, nc_diag *diag)
{
    const char *file = nc_doc_intern_path(doc, path ? path : "-");
    size_t limit = opt && opt->max_input_size ? opt->max_input_size : NC_DEFAULT_MAX_INPUT;
    rd r = {doc, {file, 0, 0}, opt && opt->max_depth > 0 ? opt->max_depth : NC_DEFAULT_MAX_DEPTH,
            0, NULL, NC_BUF_INIT, NC_BUF_INIT, NULL};
    if (len > limit) {
        nc_diag_report(diag, NC_DIAG_ERROR, &r.pos, "input is %zu bytes, over the limit of %zu",
                       len, limit);
        return -1;
    }
    if (!data)
        data = "";
    size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    json_error_t err;
    json_t *root = json_loadb(data + skip, len - skip, 0, &err);
    if (!root) {
        nc_pos p = position(file, data, len, skip + (size_t)err.position);
        /* jansson points past the character it stopped at */
        if (p.col > 1 && err.position > 0)
            p.col--;
        nc_diag_report(diag, NC_DIAG_ERROR, &p, "invalid JSON: %s", err.text);
        return -1;
    }
    if (!json_is_object(root)) {
        nc_diag_report(diag, NC_DIAG_ERROR, &r.pos,
                       "not pandoc JSON: expected an object with \"pandoc-api-version\", "
                       "\"meta\" and \"blocks\", found %s",
                       type_name(root));
        json_decref(root);
        return -1;
    }
    if (version(&r, root, diag)) {
        json_decref(root);
        return -1;
    }
    nc_node *tmp = nc_node_new(doc, NC_DOCUMENT, &r.pos);
    nc_meta *fm = nc_meta_new(doc, NC_META_MAP);
    int rc = blocks(&r, json_object_get(root, "blocks"), tmp);
    const json_t *mv = json_object_get(root, "meta");
    if (!rc && mv && !json_is_object(mv))
        rc = fail(&r, mv, "meta: expected an object, found %s", type_name(mv));
    if (!rc && mv) {
        const char *key;
        json_t *e;
        json_object_foreach((json_t *)mv, key, e)
        {
            nc_meta *x = meta(&r, e);
            if (!x) {
                rc = -1;
                break;
            }
            nc_meta_set(doc, fm, key, x);
        }
    }
    if (rc)
        report_shape(&r, root, diag);
    json_decref(root);
    nc_buf_free(&r.why);
    nc_buf_free(&r.text);
    if (rc)
        return -1;
    nc_meta *dm = nc_doc_meta(doc);
    for (size_t i = 0; i < fm->n; i++)
        if (!nc_meta_get(dm, fm->keys[i]))
            nc_meta_set(doc, dm, fm->keys[i], fm->items[i]);
    nc_node_move_children(tmp, nc_doc_root(doc));
    if (!nc_doc_path(doc))
        nc_doc_set_path(doc, file);
    return 0;
}

const nc_reader nc_reader_json = {
    "json",
    ".json",
    "pandoc's JSON AST (pandoc-api 1.22 and 1.23)",
    read_json,
};
