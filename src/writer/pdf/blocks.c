/* blocks.c — the block layout of the PDF writer: title block, headings, paragraphs, lists
 * nested to any depth, quotes, code, rules, tables, raw HTML and notes become items of the
 * vertical list. Sizes and spacing live here; line setting is para.c's. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "layout_int.h"

#define COLOR_RULE 0xD1D9E0
#define COLOR_MUTED 0x59636E
#define COLOR_HEAD 0x1F2328

/* ---- anchors: id -> item ---- */

void lay_anchor_add(lay *L, const char *id, size_t idx)
{
    if (!id || !*id)
        return;
    if (2 * (L->nanchors + 1) > L->anchor_cap) {
        size_t cap = L->anchor_cap ? L->anchor_cap * 2 : 64;
        const char **keys = nc_xcalloc(cap, sizeof *keys);
        size_t *items = nc_xcalloc(cap, sizeof *items);
        for (size_t i = 0; i < L->anchor_cap; i++) {
            if (!L->anchor_keys[i])
                continue;
            size_t j = nc_str_hash(L->anchor_keys[i]) & (cap - 1);
            while (keys[j])
                j = (j + 1) & (cap - 1);
            keys[j] = L->anchor_keys[i];
            items[j] = L->anchor_items[i];
        }
        free(L->anchor_keys);
        free(L->anchor_items);
        L->anchor_keys = keys;
        L->anchor_items = items;
        L->anchor_cap = cap;
    }
    size_t j = nc_str_hash(id) & (L->anchor_cap - 1);
    while (L->anchor_keys[j]) {
        if (strcmp(L->anchor_keys[j], id) == 0)
            return; /* the first one wins, as in HTML */
        j = (j + 1) & (L->anchor_cap - 1);
    }
    L->anchor_keys[j] = id;
    L->anchor_items[j] = idx;
    if (L->nanchors == L->caplog) {
        L->caplog = L->caplog ? 2 * L->caplog : 64;
        L->anchor_log = nc_xrealloc(L->anchor_log, L->caplog * sizeof *L->anchor_log);
    }
    L->anchor_log[L->nanchors++] = id;
}

/* The table slot of id, or SIZE_MAX. */
static size_t anchor_slot(const lay *L, const char *id)
{
    if (!L->anchor_cap || !id)
        return SIZE_MAX;
    for (size_t j = nc_str_hash(id) & (L->anchor_cap - 1);; j = (j + 1) & (L->anchor_cap - 1)) {
        if (!L->anchor_keys[j])
            return SIZE_MAX;
        if (strcmp(L->anchor_keys[j], id) == 0)
            return j;
    }
}

item *lay_anchor_item(lay *L, const char *id)
{
    size_t j = anchor_slot(L, id);
    return j == SIZE_MAX ? NULL : &L->items[L->anchor_items[j]];
}

/* ---- helpers ---- */

static double width(const lay *L)
{
    double w = L->right - L->left - L->indent;
    return w < L->base * 4 ? L->base * 4 : w;
}

static void add_mark(lay *L, int level, const char *title, size_t idx)
{
    if (L->nmarks == L->capmarks) {
        L->capmarks = L->capmarks ? L->capmarks * 2 : 32;
        L->marks = nc_xrealloc(L->marks, L->capmarks * sizeof *L->marks);
    }
    L->marks[L->nmarks].level = level;
    L->marks[L->nmarks].title = title;
    L->marks[L->nmarks].item = idx;
    L->nmarks++;
}

static void rule(lay *L, double thickness, uint32_t color)
{
    lay_item(L, thickness + 1, 0);
    lay_rect(L, L->left + L->indent, -thickness - 0.5, width(L), thickness, color);
    lay_end_item(L);
}

static double text_width(lay *L, const char *s, unsigned style, double size, int *slot)
{
    double w = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        int k = nc_utf8_decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        int sl = lay_pick(L, style, (uint32_t)cp);
        if (sl < 0)
            continue;
        if (slot)
            *slot = sl;
        w += nc_font_width(lay_font(L, sl), (uint32_t)cp, size);
    }
    return w;
}

/* slot < 0: the slot that the style picks */
static void set_marker(lay *L, const char *text, unsigned style, double size, uint32_t color,
                       int slot)
{
    if (slot < 0) {
        slot = NC_F_MAIN;
        L->marker_w = text_width(L, text, style, size, &slot);
    } else {
        L->marker_w = lay_width(L, slot, text, strlen(text), size, 0);
    }
    L->marker = nc_doc_strdup(L->out->arena, text);
    L->marker_len = strlen(text);
    L->marker_slot = slot;
    L->marker_size = size;
    L->marker_color = color;
}

/* ---- blocks ---- */

static void blocks(lay *L, const nc_node *first, int depth);
static void block(lay *L, const nc_node *n, int depth);
static void toc(lay *L, const nc_node *div);

static void paragraph(lay *L, const nc_node *n, double size, unsigned style)
{
    para P;
    para_init(&P, size, style);
    P.pos = n->pos;
    para_inlines(L, &P, n, 0);
    para_set(L, &P, width(L), false);
    para_free(&P);
}

static const double head_size[7] = {0, 1.6, 1.35, 1.18, 1.06, 1.0, 0.95};

static void heading(lay *L, const nc_node *n)
{
    int level = n->level < 1 ? 1 : n->level > 6 ? 6 : n->level;
    double size = L->base * head_size[level];
    lay_glue(L, L->base * (level <= 2 ? 1.6 : 1.1));
    para P;
    para_init(&P, size, S_SANS | S_BOLD);
    P.pos = n->pos;
    P.leading = 1.4;
    P.color = COLOR_HEAD;
    P.justify = false;
    para_inlines(L, &P, n, 0);
    size_t first = L->nitems;
    size_t nl = para_set(L, &P, width(L), true);
    if (!nl) {
        /* an empty heading still marks its place */
        lay_item(L, size * 1.4, IT_KEEP);
        lay_end_item(L);
    }
    if (n->attr && n->attr->id)
        lay_anchor_add(L, n->attr->id, first);
    char hid[32];
    snprintf(hid, sizeof hid, "nc-h-%zu", L->nheads++);
    lay_anchor_add(L, nc_doc_strdup(L->out->arena, hid), first);
    nc_buf title = NC_BUF_INIT;
    nc_node_text(n, &title);
    add_mark(L, level, nc_doc_strndup(L->out->arena, nc_buf_cstr(&title), title.len), first);
    nc_buf_free(&title);
    para_free(&P);
    if (level <= 2) {
        L->items[L->nitems - 1].flags |= IT_KEEP;
        lay_glue(L, L->base * 0.2);
        L->items[L->nitems - 1].flags |= IT_KEEP;
        rule(L, level == 1 ? 1.0 : 0.6, COLOR_RULE);
        L->items[L->nitems - 1].flags |= IT_KEEP;
    }
    lay_glue(L, L->base * 0.5);
    L->items[L->nitems - 1].flags |= IT_KEEP;
}

static void code_block(lay *L, const nc_node *n)
{
    lay_glue(L, L->base * 0.6);
    double size = L->base * 0.86;
    double pad = L->base * 0.45;
    double inset = L->base * 0.6;
    /* the tinted box fills the text width; the code sits inside it */
    L->indent += inset;
    double saved_right = L->right;
    L->right -= inset;
    para P;
    para_init(&P, size, S_MONO);
    P.pos = n->pos;
    P.code = true;
    P.leading = 1.45;
    P.justify = false;
    /* the final newline of a code block ends it, it is not an empty line */
    size_t len = n->len;
    while (len && (n->text[len - 1] == '\n' || n->text[len - 1] == '\r'))
        len--;
    /* tabs stop every four columns */
    nc_buf t = NC_BUF_INIT;
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        char c = n->text[i];
        if (c == '\t') {
            do
                nc_buf_putc(&t, ' ');
            while (++col % 4);
        } else {
            nc_buf_putc(&t, c);
            col = c == '\n' ? 0 : ((unsigned char)c & 0xC0) == 0x80 ? col : col + 1;
        }
    }
    double w = width(L);
    double x = L->left + L->indent;
    item *it = lay_item(L, pad, 0);
    (void)it;
    lay_rect(L, x - inset, -pad, w + 2 * inset, pad, 0xF6F8FA);
    lay_end_item(L);
    para_text(&P, t.ptr ? t.ptr : "", t.len, 0, NULL);
    if (!t.len)
        para_text(&P, " ", 1, 0, NULL);
    para_set(L, &P, w, false);
    lay_item(L, pad, 0);
    lay_rect(L, x - inset, -pad, w + 2 * inset, pad, 0xF6F8FA);
    lay_end_item(L);
    L->indent -= inset;
    L->right = saved_right;
    nc_buf_free(&t);
    para_free(&P);
    lay_glue(L, L->base * 0.6);
}

/* Raw HTML in a PDF: <br> breaks the line, comments go, other tags are dropped with their
 * text kept, and a few entities are decoded. */
static void raw_html(lay *L, const nc_node *n)
{
    if (!n->format || strcmp(n->format, "html") != 0) {
        nc_diag_report(L->diag, NC_DIAG_WARNING | NC_DIAG_VERBOSE, &n->pos,
                       "raw %s block dropped in PDF output", n->format ? n->format : "");
        return;
    }
    nc_buf t = NC_BUF_INIT;
    const char *s = n->text;
    size_t len = n->len;
    bool dropped = false;
    for (size_t i = 0; i < len;) {
        if (s[i] == '<') {
            if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
                const char *e = strstr(s + i + 4, "-->");
                i = e ? (size_t)(e - s) + 3 : len;
                continue;
            }
            size_t j = i + 1;
            while (j < len && s[j] != '>')
                j++;
            if (lay_is_br(s + i, j < len ? j - i + 1 : j - i))
                nc_buf_putc(&t, '\n');
            else {
                dropped = true;
                /* block-level tags separate their text */
                if (t.len && t.ptr[t.len - 1] != ' ' && t.ptr[t.len - 1] != '\n')
                    nc_buf_putc(&t, ' ');
            }
            i = j < len ? j + 1 : len;
            continue;
        }
        if (s[i] == '&') {
            static const struct { const char *name; const char *text; } ents[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                {"&#39;", "'"}, {"&nbsp;", " "}, {"&apos;", "'"}};
            bool done = false;
            for (size_t k = 0; k < sizeof ents / sizeof *ents && !done; k++) {
                size_t el = strlen(ents[k].name);
                if (len - i >= el && memcmp(s + i, ents[k].name, el) == 0) {
                    nc_buf_puts(&t, ents[k].text);
                    i += el;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            if (t.len && t.ptr[t.len - 1] != ' ' && t.ptr[t.len - 1] != '\n')
                nc_buf_putc(&t, ' ');
            i++;
            continue;
        }
        nc_buf_putc(&t, s[i++]);
    }
    if (dropped)
        nc_diag_report(L->diag, NC_DIAG_WARNING | NC_DIAG_VERBOSE, &n->pos,
                       "raw HTML tags dropped in PDF output (their text is kept)");
    /* trim */
    size_t a = 0, b = t.len;
    while (a < b && (t.ptr[a] == ' ' || t.ptr[a] == '\n'))
        a++;
    while (b > a && (t.ptr[b - 1] == ' ' || t.ptr[b - 1] == '\n'))
        b--;
    if (b > a) {
        para P;
        para_init(&P, L->base, 0);
        P.pos = n->pos;
        para_text(&P, t.ptr + a, b - a, 0, NULL);
        para_set(L, &P, width(L), false);
        para_free(&P);
        lay_glue(L, L->base * 0.6);
    }
    nc_buf_free(&t);
}

static const char *const bullets[] = {"\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa",
                                      "\xe2\x80\xa3", "\xe2\x81\x83", "\xe2\x97\x8b"};

static void roman(nc_buf *b, int n, bool upper)
{
    static const struct { int v; const char *s; } t[] = {
        {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
        {50, "l"},   {40, "xl"},  {10, "x"},  {9, "ix"},   {5, "v"},   {4, "iv"}, {1, "i"}};
    if (n <= 0 || n >= 4000) {
        nc_buf_printf(b, "%d", n);
        return;
    }
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        while (n >= t[i].v) {
            for (const char *p = t[i].s; *p; p++)
                nc_buf_putc(b, upper ? *p - 32 : *p);
            n -= t[i].v;
        }
}

static void alpha(nc_buf *b, int n, bool upper)
{
    char tmp[16];
    int k = 0;
    if (n <= 0) {
        nc_buf_printf(b, "%d", n);
        return;
    }
    while (n > 0 && k < 15) {
        n--;
        tmp[k++] = (char)((upper ? 'A' : 'a') + n % 26);
        n /= 26;
    }
    while (k)
        nc_buf_putc(b, tmp[--k]);
}

static void list(lay *L, const nc_node *n, int depth, int list_depth)
{
    bool ordered = n->kind == NC_ORDERED_LIST;
    /* a list is tight when its items hold Plain, not Para */
    bool tight = true;
    for (const nc_node *it = n->first; it; it = it->next)
        for (const nc_node *b = it->first; b; b = b->next)
            if (b->kind == NC_PARA)
                tight = false;
    double step = L->base * (L->ja ? 1.8 : 1.6);
    /* beyond the depth the page can show, levels stop indenting but keep their markers */
    bool indent = L->indent + step < (L->right - L->left) * 0.6;
    lay_glue(L, L->base * (list_depth ? 0.15 : 0.5));
    int num = ordered ? n->start : 0;
    nc_list_style style = n->style;
    if (ordered && (style == NC_LIST_DEFAULT_STYLE || style == NC_LIST_EXAMPLE))
        style = NC_LIST_DECIMAL;
    if (indent)
        L->indent += step;
    for (const nc_node *it = n->first; it; it = it->next, num++) {
        nc_buf m = NC_BUF_INIT;
        if (it->task == NC_TASK_OPEN)
            nc_buf_puts(&m, "\xe2\x98\x90"); /* ☐ */
        else if (it->task == NC_TASK_DONE)
            nc_buf_puts(&m, "\xe2\x98\x91"); /* ☑ */
        else if (ordered) {
            if (style == NC_LIST_LOWER_ALPHA || style == NC_LIST_UPPER_ALPHA)
                alpha(&m, num, style == NC_LIST_UPPER_ALPHA);
            else if (style == NC_LIST_LOWER_ROMAN || style == NC_LIST_UPPER_ROMAN)
                roman(&m, num, style == NC_LIST_UPPER_ROMAN);
            else
                nc_buf_printf(&m, "%d", num);
            nc_buf_puts(&m, n->delim == NC_DELIM_ONE_PAREN ? ")" : ".");
            if (n->delim == NC_DELIM_TWO_PARENS) {
                nc_buf_truncate(&m, m.len - 1);
                nc_buf_puts(&m, ")");
                nc_buf clone = NC_BUF_INIT;
                nc_buf_putc(&clone, '(');
                nc_buf_put(&clone, m.ptr, m.len);
                nc_buf_free(&m);
                m = clone;
            }
        } else {
            nc_buf_puts(&m, bullets[list_depth % 6]);
        }
        /* bullets and checkboxes come from the symbol face, whose shapes are made for it */
        bool symbol = it->task || !ordered;
        /* the squares and triangles of the deeper levels are drawn larger than the dots */
        static const double bullet_size[6] = {0.9, 0.9, 0.7, 0.85, 0.9, 0.75};
        double msize = it->task ? L->base : !ordered ? L->base * bullet_size[list_depth % 6]
                                                    : L->base;
        set_marker(L, m.ptr, 0, msize, it->task ? COLOR_HEAD : COLOR_MUTED,
                   symbol ? NC_F_SYMBOL : -1);
        nc_buf_free(&m);
        if (it != n->first)
            lay_glue(L, L->base * (tight ? 0.15 : 0.5));
        blocks(L, it->first, depth + 1);
        if (L->marker) {
            /* an empty item still shows its marker */
            para P;
            para_init(&P, L->base, 0);
            para_set(L, &P, width(L), false);
            para_free(&P);
        }
    }
    if (indent)
        L->indent -= step;
    lay_glue(L, L->base * (list_depth ? 0.15 : 0.5));
}

static int list_depth_of(const nc_node *n)
{
    int d = 0;
    for (const nc_node *p = n->parent; p; p = p->parent)
        if (p->kind == NC_BULLET_LIST || p->kind == NC_ORDERED_LIST)
            d++;
    return d;
}

static void quote(lay *L, const nc_node *n, int depth)
{
    lay_glue(L, L->base * 0.5);
    double step = L->base * 1.2;
    bool room = L->nbars < 64 && L->indent + step < (L->right - L->left) * 0.6;
    if (room) {
        L->bars[L->nbars++] = L->left + L->indent + L->base * 0.2;
        L->indent += step;
    }
    blocks(L, n->first, depth + 1);
    if (room) {
        L->indent -= step;
        L->nbars--;
    }
    lay_glue(L, L->base * 0.5);
}

/* ---- tables: columns sized from content, cells wrapped, rows kept whole ---- */

static void cell_para(lay *L, para *P, const nc_node *cell, bool head)
{
    para_init(P, L->base * 0.92, head ? S_BOLD : 0);
    P->pos = cell->pos;
    P->justify = false;
    for (const nc_node *b = cell->first; b; b = b->next) {
        if (P->text.len)
            para_text(P, "\n", 1, 0, NULL);
        if (b->kind == NC_PLAIN || b->kind == NC_PARA || b->kind == NC_HEADER)
            para_inlines(L, P, b, 0);
        else {
            nc_buf t = NC_BUF_INIT;
            nc_node_text(b, &t);
            if (b->kind == NC_CODE_BLOCK || b->kind == NC_RAW_BLOCK)
                nc_buf_put(&t, b->text, b->len);
            para_text(P, nc_buf_cstr(&t), t.len, 0, NULL);
            nc_buf_free(&t);
        }
    }
}

static void table(lay *L, const nc_node *t)
{
    size_t ncols = t->ncols;
    /* rows, in order: head, bodies, foot */
    size_t nrows = 0;
    for (const nc_node *s = t->first; s; s = s->next)
        if (s->kind != NC_CAPTION)
            for (const nc_node *r = s->first; r; r = r->next)
                nrows++;
    if (!nrows)
        return;
    for (const nc_node *s = t->first; s; s = s->next)
        for (const nc_node *r = s->first; r && s->kind != NC_CAPTION; r = r->next) {
            size_t k = 0;
            for (const nc_node *c = r->first; c; c = c->next)
                k += (size_t)(c->colspan > 0 ? c->colspan : 1);
            if (k > ncols)
                ncols = k;
        }
    if (!ncols)
        return;
    double total = width(L);
    double pad = L->base * 0.4;
    double *natural = nc_xcalloc(ncols, sizeof(double));
    double *minw = nc_xcalloc(ncols, sizeof(double));
    /* natural width: the widest cell on one line; minimum: about four characters */
    for (const nc_node *s = t->first; s; s = s->next)
        for (const nc_node *r = s->first; r && s->kind != NC_CAPTION; r = r->next) {
            size_t col = 0;
            for (const nc_node *c = r->first; c && col < ncols; c = c->next, col++) {
                para P;
                cell_para(L, &P, c, s->kind == NC_TABLE_HEAD);
                double w = 0, lw = 0;
                const char *p = P.text.ptr ? P.text.ptr : "";
                int32_t prev = 0;
                for (size_t i = 0; i < P.text.len;) {
                    int32_t cp;
                    int k = nc_utf8_decode(p + i, P.text.len - i, &cp);
                    i += k ? (size_t)k : 1;
                    if (cp == '\n') {
                        lw = 0;
                        prev = 0;
                        continue;
                    }
                    /* the quarter em para.c puts between Japanese and Latin or digits */
                    bool a = cp < 0x80 && isalnum((unsigned char)cp);
                    bool pa = prev > 0 && prev < 0x80 && isalnum((unsigned char)prev);
                    if ((a && prev >= 0x3040 && nc_jis_is_cjk((unsigned)prev)) ||
                        (pa && cp >= 0x3040 && nc_jis_is_cjk((unsigned)cp)))
                        lw += P.size * 0.25;
                    prev = cp;
                    int sl = lay_pick(L, P.base_style, (uint32_t)cp);
                    lw += sl < 0 ? P.size : nc_font_width(lay_font(L, sl), (uint32_t)cp, P.size);
                    if (lw > w)
                        w = lw;
                }
                if (w + 2 * pad > natural[col])
                    natural[col] = w + 2 * pad;
                double m = P.size * 4 + 2 * pad;
                if (m > w + 2 * pad)
                    m = w + 2 * pad;
                if (m > minw[col])
                    minw[col] = m;
                para_free(&P);
            }
        }
    double sum = 0, summin = 0;
    for (size_t c = 0; c < ncols; c++) {
        sum += natural[c];
        summin += minw[c];
    }
    double *colw = nc_xcalloc(ncols, sizeof(double));
    for (size_t c = 0; c < ncols; c++) {
        if (sum <= total)
            colw[c] = natural[c];
        else if (summin >= total)
            colw[c] = total / (double)ncols;
        else /* shrink the wide columns: give each its minimum plus a share of the rest */
            colw[c] = minw[c] + (natural[c] - minw[c]) * (total - summin) / (sum - summin);
    }
    lay_glue(L, L->base * 0.6);
    double x0 = L->left + L->indent;
    double tw = 0;
    for (size_t c = 0; c < ncols; c++)
        tw += colw[c];
    bool first_row = true;
    size_t head_item = 0; /* 1 + the header row's item */
    for (const nc_node *s = t->first; s; s = s->next) {
        if (s->kind == NC_CAPTION)
            continue;
        bool head = s->kind == NC_TABLE_HEAD;
        for (const nc_node *r = s->first; r; r = r->next) {
            /* lay each cell out into its own items, then merge them into one row item */
            size_t save_items = L->nitems, save_ops = L->nops, save_notes = L->nnotes,
                   save_anchors = L->nanchors;
            double saved_indent = L->indent;
            double rowh = 0;
            size_t col = 0;
            size_t cell_op0[256], cell_op1[256];
            double cell_h[256], cell_x[256];
            size_t ncell = 0;
            double cx = x0;
            for (const nc_node *c = r->first; c && col < ncols; c = c->next) {
                int cspan = c->colspan > 0 ? c->colspan : 1;
                double cw = 0;
                for (int k = 0; k < cspan && col + (size_t)k < ncols; k++)
                    cw += colw[col + (size_t)k];
                para P;
                cell_para(L, &P, c, head);
                size_t i0 = L->nitems;
                size_t o0 = L->nops;
                L->indent = cx + pad - L->left;
                para_set(L, &P, cw - 2 * pad, false);
                double h = 0;
                for (size_t i = i0; i < L->nitems; i++)
                    h += L->items[i].height;
                /* alignment: move the runs of each line */
                nc_align al = c->align != NC_ALIGN_DEFAULT ? c->align
                              : col < t->ncols && t->cols ? t->cols[col].align : NC_ALIGN_DEFAULT;
                double yoff = 0;
                for (size_t i = i0; i < L->nitems; i++) {
                    item *it = &L->items[i];
                    double shift = 0;
                    if (al == NC_ALIGN_RIGHT || al == NC_ALIGN_CENTER) {
                        double lw = 0;
                        for (size_t k = it->op0; k < it->op1; k++)
                            if (L->ops[k].kind == NC_OP_TEXT) {
                                double e = lay_run_end(L, &L->ops[k]);
                                if (e - (cx + pad) > lw)
                                    lw = e - (cx + pad);
                            }
                        double free_w = cw - 2 * pad - lw;
                        if (free_w > 0)
                            shift = al == NC_ALIGN_RIGHT ? free_w : free_w / 2;
                    }
                    for (size_t k = it->op0; k < it->op1; k++) {
                        L->ops[k].x += shift;
                        L->ops[k].y -= yoff + pad;
                    }
                    yoff += it->height;
                }
                (void)o0;
                if (ncell < 256) {
                    cell_op0[ncell] = L->items[i0 < L->nitems ? i0 : 0].op0;
                    cell_op1[ncell] = L->nops;
                    cell_h[ncell] = h;
                    cell_x[ncell] = cx;
                    ncell++;
                }
                if (h > rowh)
                    rowh = h;
                para_free(&P);
                cx += cw;
                col += (size_t)cspan;
            }
            (void)cell_op0;
            (void)cell_op1;
            (void)cell_h;
            (void)cell_x;
            L->indent = saved_indent;
            rowh += 2 * pad;
            /* collect the cells' ops, drop their items, and make one row item */
            size_t nops = L->nops - save_ops;
            nc_op *tmp = nc_xmalloc((nops ? nops : 1) * sizeof *tmp);
            if (nops)
                memcpy(tmp, L->ops + save_ops, nops * sizeof *tmp);
            L->nitems = save_items;
            L->nops = save_ops;
            lay_item(L, rowh, head ? IT_KEEP : 0);
            /* anchors and note references made in the cells now live in the row */
            size_t row = L->nitems - 1;
            /* only anchors added in this row can be in it (the whole table was scanned per
               row: quadratic in a long table with a link target in each row) */
            for (size_t k = save_anchors; k < L->nanchors; k++) {
                size_t j = anchor_slot(L, L->anchor_log[k]);
                if (j != SIZE_MAX && L->anchor_items[j] >= save_items)
                    L->anchor_items[j] = row;
            }
            /* only notes numbered in this row can have their reference in it */
            for (size_t k = save_notes; k < L->nnotes; k++)
                if (L->note_item[k] != SIZE_MAX && L->note_item[k] >= save_items)
                    L->note_item[k] = row;
            if (head) {
                lay_rect(L, x0, -rowh, tw, rowh, 0xF0F2F5);
            }
            for (size_t k = 0; k < nops; k++)
                *lay_op(L, tmp[k].kind) = tmp[k];
            free(tmp);
            if (first_row) {
                lay_rect(L, x0, -0.8, tw, 0.8, 0x8C959F);
            }
            if (head)
                head_item = row + 1;
            else
                L->items[row].repeat = head_item;
            lay_rect(L, x0, -rowh, tw, head ? 0.8 : 0.4, head ? 0x8C959F : COLOR_RULE);
            lay_end_item(L);
            first_row = false;
        }
    }
    free(natural);
    free(minw);
    free(colw);
    lay_glue(L, L->base * 0.6);
}

/* ---- images: a paragraph of images alone shows them as blocks ---- */

/* Each image of a paragraph that holds nothing but images (each perhaps inside a link) and
 * white space; 0 when it holds anything else. */
static size_t lone_images(const nc_node *p, const nc_node **imgs, size_t max)
{
    size_t n = 0;
    for (const nc_node *c = p->first; c; c = c->next) {
        if (c->kind == NC_SPACE || c->kind == NC_SOFT_BREAK || c->kind == NC_LINE_BREAK)
            continue;
        if (c->kind == NC_STR && strspn(c->text, " \t") == c->len)
            continue;
        const nc_node *img = c->kind == NC_IMAGE ? c
                             : c->kind == NC_LINK && c->first && c->first == c->last &&
                                       c->first->kind == NC_IMAGE
                                 ? c->first
                                 : NULL;
        if (!img || n == max)
            return 0;
        imgs[n++] = img;
    }
    return n;
}

/* The image's index in the layout, loaded once per file; -1 (warned) when it cannot be
 * shown. */
static int image_index(lay *L, const nc_node *img)
{
    const char *url = img->url ? img->url : "";
    nc_pos pos = img->pos;
    if (nc_image_is_remote(url)) {
        nc_diag_report(L->diag, NC_DIAG_WARNING, &pos,
                       "remote image '%s' is not fetched (no network is used); a placeholder "
                       "is shown", url);
        return -1;
    }
    const char *note = nc_doc_path(L->doc);
    char *path = nc_image_resolve(url, note && strcmp(note, "-") ? note : NULL,
                                  L->opt->resource_path);
    if (!path) {
        nc_diag_report(L->diag, NC_DIAG_WARNING, &pos, "image without a source; a placeholder "
                       "is shown");
        return -1;
    }
    nc_layout *o = L->out;
    for (size_t i = 0; i < o->nimages; i++)
        if (strcmp(o->image_paths[i], path) == 0) {
            free(path);
            return (int)i;
        }
    nc_image im;
    int loaded = nc_image_load(path, &im, &pos, L->diag);
    /* a file that is there but corrupt is listed too: replacing it must rebuild the PDF */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        nc_doc_add_dependency(L->doc, path);
    if (loaded != 0) {
        free(path);
        return -1;
    }
    o->images = nc_xrealloc(o->images, (o->nimages + 1) * sizeof *o->images);
    o->image_paths = nc_xrealloc(o->image_paths, (o->nimages + 1) * sizeof *o->image_paths);
    o->images[o->nimages] = im;
    o->image_paths[o->nimages] = path;
    return (int)o->nimages++;
}

static void caption(lay *L, const char *text, size_t len, const nc_pos *pos)
{
    para P;
    para_init(&P, L->base * 0.85, 0);
    P.pos = *pos;
    P.color = COLOR_MUTED;
    P.justify = false;
    P.center = true;
    para_text(&P, text, len, 0, NULL);
    para_set(L, &P, width(L), false);
    para_free(&P);
}

/* An image as a block: scaled to fit the text width and the page, aspect kept, never split,
 * with its caption (the title, else the alt text) kept with it. Missing, broken, remote or
 * unsupported images give a framed placeholder with the alt text and the link. */
static void image_block(lay *L, const nc_node *img, const nc_node *link, const nc_node *cap)
{
    nc_buf alt = NC_BUF_INIT, capt = NC_BUF_INIT;
    nc_node_text(img, &alt);
    if (cap)
        nc_node_text(cap, &capt);
    else if (img->title && *img->title)
        nc_buf_puts(&capt, img->title);
    else
        nc_buf_put(&capt, alt.ptr ? alt.ptr : "", alt.len);
    if (L->marker) {
        /* an image first in a list item: the marker gets its own line */
        para P;
        para_init(&P, L->base, 0);
        para_set(L, &P, width(L), false);
        para_free(&P);
    }
    int idx = image_index(L, img);
    lay_glue(L, L->base * 0.8);
    double x0 = L->left + L->indent, w0 = width(L);
    if (idx >= 0) {
        unsigned pw, ph;
        nc_image_display_size(&L->out->images[idx], &pw, &ph);
        /* pixels at 96 per inch, as browsers show them, but never wider than the text; a
         * width attribute in pixels (Hugo's figure width="640") sets the size */
        double iw = pw * 0.75, ih = ph * 0.75;
        const char *wattr = nc_node_get_kv(img, "width");
        char *end = NULL;
        double asked = wattr ? strtod(wattr, &end) : 0;
        if (asked > 0 && end && (!*end || strcmp(end, "px") == 0) && pw > 0) {
            ih = ih * (asked * 0.75) / iw;
            iw = asked * 0.75;
        }
        double maxh = (L->top - L->bottom) * 0.8;
        double sc = 1;
        if (iw * sc > w0)
            sc = w0 / iw;
        if (ih * sc > maxh)
            sc = maxh / ih;
        double w = iw * sc, h = ih * sc;
        if (w < 1)
            w = 1;
        if (h < 1)
            h = 1;
        lay_item(L, h, capt.len ? IT_KEEP : 0);
        nc_op *o = lay_op(L, NC_OP_IMAGE);
        o->x = x0 + (w0 - w) / 2;
        o->y = -h;
        o->w = w;
        o->h = h;
        o->image = idx;
        double ox = o->x;
        if (link && link->url && *link->url) {
            bool internal = link->url[0] == '#';
            nc_op *a = lay_op(L, internal ? NC_OP_GOTO : NC_OP_URI);
            a->x = ox;
            a->y = -h;
            a->w = w;
            a->h = h;
            a->text = internal ? link->url + 1 : link->url;
            a->len = strlen(a->text);
        }
        lay_end_item(L);
        if (capt.len) {
            lay_glue(L, L->base * 0.3);
            L->items[L->nitems - 1].flags |= IT_KEEP;
            caption(L, capt.ptr, capt.len, &img->pos);
        }
    } else {
        /* the placeholder: a frame around the alt text and the link */
        double pad = L->base * 0.5;
        lay_item(L, 0.8, IT_KEEP);
        lay_rect(L, x0, -0.8, w0, 0.8, 0xC8CDD3);
        lay_end_item(L);
        L->framing = true;
        L->frame[0] = x0;
        L->frame[1] = x0 + w0;
        lay_item(L, pad, IT_KEEP);
        lay_end_item(L);
        L->indent += pad;
        L->right -= pad;
        para P;
        para_init(&P, L->base * 0.9, 0);
        P.pos = img->pos;
        P.color = COLOR_MUTED;
        P.justify = false;
        P.center = true;
        const char *label = L->ja ? "\xe7\x94\xbb\xe5\x83\x8f: " : "image: "; /* 画像 */
        para_text(&P, label, strlen(label), 0, NULL);
        if (capt.len)
            para_text(&P, capt.ptr, capt.len, 0, NULL);
        else if (alt.len)
            para_text(&P, alt.ptr, alt.len, 0, NULL);
        para_text(&P, "\n", 1, 0, NULL);
        const char *url = img->url ? img->url : "";
        para_text(&P, url, strlen(url), S_LINK, url);
        para_set(L, &P, width(L), false);
        para_free(&P);
        L->indent -= pad;
        L->right += pad;
        lay_item(L, pad, 0);
        lay_end_item(L);
        L->framing = false;
        lay_item(L, 0.8, 0);
        lay_rect(L, x0, -0.8, w0, 0.8, 0xC8CDD3);
        lay_end_item(L);
    }
    lay_glue(L, L->base * 0.8);
    nc_buf_free(&alt);
    nc_buf_free(&capt);
}

static bool is_image(const nc_node *c)
{
    return c->kind == NC_IMAGE ||
           (c->kind == NC_LINK && c->first && c->first == c->last && c->first->kind == NC_IMAGE);
}

/* A paragraph of text and images: the text around each image is set as a paragraph of its
 * own and the image as a block, in order, so that photos in running text are shown. The
 * document is not changed: the text pieces are copies. */
static bool mixed_paragraph(lay *L, const nc_node *n)
{
    bool any = false;
    for (const nc_node *c = n->first; c && !any; c = c->next)
        any = is_image(c);
    if (!any)
        return false;
    nc_node *piece = NULL;
    for (const nc_node *c = n->first;; c = c->next) {
        if (!c || is_image(c)) {
            if (piece) {
                /* breaks at the edges of a piece are the image's line, not text */
                while (piece->last && (piece->last->kind == NC_SOFT_BREAK ||
                                       piece->last->kind == NC_LINE_BREAK ||
                                       piece->last->kind == NC_SPACE))
                    nc_node_unlink(piece->last);
                while (piece->first && (piece->first->kind == NC_SOFT_BREAK ||
                                        piece->first->kind == NC_LINE_BREAK ||
                                        piece->first->kind == NC_SPACE))
                    nc_node_unlink(piece->first);
                if (piece->first) {
                    paragraph(L, piece, L->base, 0);
                    lay_glue(L, L->base * 0.6);
                }
                piece = NULL;
            }
            if (!c)
                break;
            const nc_node *img = c->kind == NC_IMAGE ? c : c->first;
            image_block(L, img, c->kind == NC_LINK ? c : NULL, NULL);
            continue;
        }
        if (!piece) {
            piece = nc_node_new(L->out->arena, NC_PARA, &c->pos);
        }
        nc_node_append(piece, nc_node_copy(L->out->arena, c));
    }
    return true;
}

static bool image_paragraph(lay *L, const nc_node *n, const nc_node *cap)
{
    const nc_node *imgs[64];
    size_t k = lone_images(n, imgs, 64);
    for (size_t i = 0; i < k; i++)
        image_block(L, imgs[i], imgs[i]->parent->kind == NC_LINK ? imgs[i]->parent : NULL,
                    i + 1 == k ? cap : NULL);
    return k > 0;
}

static void figure(lay *L, const nc_node *n, int depth)
{
    const nc_node *cap = NULL;
    for (const nc_node *c = n->first; c; c = c->next)
        if (c->kind == NC_CAPTION)
            cap = c;
    /* a figure of one image paragraph takes the figure's caption under the image */
    const nc_node *content = NULL;
    size_t blocks_n = 0;
    for (const nc_node *c = n->first; c; c = c->next)
        if (c->kind != NC_CAPTION) {
            content = c;
            blocks_n++;
        }
    if (blocks_n == 1 && (content->kind == NC_PLAIN || content->kind == NC_PARA) &&
        (!cap || cap->first) && image_paragraph(L, content, cap))
        return;
    for (const nc_node *c = n->first; c; c = c->next)
        if (c->kind != NC_CAPTION)
            block(L, c, depth + 1);
    if (cap) {
        nc_buf t = NC_BUF_INIT;
        nc_node_text(cap, &t);
        if (t.len)
            caption(L, t.ptr, t.len, &cap->pos);
        nc_buf_free(&t);
    }
}

static void block(lay *L, const nc_node *n, int depth)
{
    switch (n->kind) {
    case NC_PARA:
    case NC_PLAIN:
        if (image_paragraph(L, n, NULL) || mixed_paragraph(L, n))
            break;
        paragraph(L, n, L->base, 0);
        if (n->kind == NC_PARA)
            lay_glue(L, L->base * 0.6);
        break;
    case NC_HEADER:
        heading(L, n);
        break;
    case NC_CODE_BLOCK:
        code_block(L, n);
        break;
    case NC_RAW_BLOCK:
        raw_html(L, n);
        break;
    case NC_BLOCK_QUOTE:
        quote(L, n, depth);
        break;
    case NC_BULLET_LIST:
    case NC_ORDERED_LIST:
        list(L, n, depth, list_depth_of(n));
        break;
    case NC_HORIZONTAL_RULE:
        lay_glue(L, L->base * 0.8);
        rule(L, 0.6, COLOR_RULE);
        lay_glue(L, L->base * 0.8);
        break;
    case NC_TABLE:
        table(L, n);
        break;
    case NC_LINE_BLOCK:
        for (const nc_node *l = n->first; l; l = l->next)
            paragraph(L, l, L->base, 0);
        lay_glue(L, L->base * 0.6);
        break;
    case NC_DEFINITION_LIST:
        for (const nc_node *it = n->first; it; it = it->next)
            for (const nc_node *c = it->first; c; c = c->next) {
                if (c->kind == NC_DEF_TERM) {
                    paragraph(L, c, L->base, S_BOLD);
                } else {
                    L->indent += L->base * 2;
                    blocks(L, c->first, depth + 1);
                    L->indent -= L->base * 2;
                }
            }
        lay_glue(L, L->base * 0.6);
        break;
    case NC_FIGURE:
        figure(L, n, depth);
        break;
    case NC_DIV:
        if (n->attr && n->attr->id && strcmp(n->attr->id, "TOC") == 0 &&
            nc_node_has_class(n, "toc"))
            toc(L, n);
        else
            blocks(L, n->first, depth + 1);
        break;
    case NC_CAPTION:
        blocks(L, n->first, depth + 1);
        break;
    default:
        if (nc_kind_is_inline(n->kind)) {
            para P;
            para_init(&P, L->base, 0);
            para_text(&P, "", 0, 0, NULL);
            para_free(&P);
        } else {
            blocks(L, n->first, depth + 1);
        }
        break;
    }
}

/* The layout recurses once or twice per level of blocks. Past this depth (only reachable when
 * --max-depth is raised) what is left of a branch is set as the plain text of one paragraph,
 * so that no nesting overflows the stack; the page stopped indenting long before. */
#define MAX_BLOCK_DEPTH 200

static void flat(lay *L, const nc_node *first)
{
    nc_buf t = NC_BUF_INIT;
    for (const nc_node *b = first; b; b = b->next) {
        nc_iter it;
        nc_iter_init(&it, (nc_node *)b);
        nc_event ev;
        while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
            const nc_node *c = nc_iter_node(&it);
            if (ev != NC_EV_ENTER)
                continue;
            if (c->kind == NC_NOTE)
                nc_iter_reset(&it, (nc_node *)c, NC_EV_EXIT);
            else if (c->kind == NC_STR || c->kind == NC_CODE || c->kind == NC_MATH ||
                     c->kind == NC_CODE_BLOCK)
                nc_buf_put(&t, c->text, c->len);
            else if (c->kind == NC_SPACE || c->kind == NC_SOFT_BREAK || c->kind == NC_LINE_BREAK ||
                     (nc_kind_is_block(c->kind) && t.len && t.ptr[t.len - 1] != ' '))
                nc_buf_putc(&t, ' ');
        }
    }
    if (!L->flattened) {
        L->flattened = true;
        nc_diag_report(L->diag, NC_DIAG_WARNING, &first->pos,
                       "blocks nested deeper than %d levels are set as plain text",
                       MAX_BLOCK_DEPTH);
    }
    para P;
    para_init(&P, L->base, 0);
    para_text(&P, nc_buf_cstr(&t), t.len, 0, NULL);
    para_set(L, &P, width(L), false);
    para_free(&P);
    nc_buf_free(&t);
    lay_glue(L, L->base * 0.6);
}

static void blocks(lay *L, const nc_node *first, int depth)
{
    if (depth > MAX_BLOCK_DEPTH && first) {
        flat(L, first);
        return;
    }
    for (const nc_node *n = first; n; n = n->next)
        block(L, n, depth);
}

/* ---- the document ---- */

/* A metadata value's text into P, at its place in the front matter. */
static void meta_add(para *P, const nc_meta *m, nc_buf *tmp)
{
    nc_buf_clear(tmp);
    nc_meta_text(m, tmp);
    para_text_at(P, tmp->ptr, tmp->len, 0, m->pos);
}

static void meta_line(lay *L, para *P, uint32_t color)
{
    P->color = color;
    P->justify = false;
    para_set(L, P, width(L), true);
    para_free(P);
}

static void title_block(lay *L)
{
    nc_meta *meta = nc_doc_meta(L->doc);
    nc_meta *title = nc_meta_get(meta, "title");
    if (!title)
        return;
    nc_buf b = NC_BUF_INIT;
    para P;
    para_init(&P, L->base * 1.9, S_SANS | S_BOLD);
    meta_add(&P, title, &b);
    if (P.text.len) {
        P.leading = 1.35;
        meta_line(L, &P, COLOR_HEAD);
        lay_glue(L, L->base * 0.5);
        L->items[L->nitems - 1].flags |= IT_KEEP;
    } else {
        para_free(&P);
    }
    nc_meta *date = nc_meta_get(meta, "date");
    nc_meta *author = nc_meta_get(meta, "author");
    para_init(&P, L->base * 0.95, 0);
    if (date)
        meta_add(&P, date, &b);
    if (author) {
        if (P.text.len)
            para_text(&P, "  \xe2\x80\x94  ", 7, 0, NULL);
        meta_add(&P, author, &b);
    }
    if (P.text.len)
        meta_line(L, &P, COLOR_MUTED);
    else
        para_free(&P);
    nc_meta *tags = nc_meta_get(meta, "tags");
    para_init(&P, L->base * 0.9, S_SANS);
    if (tags && tags->kind == NC_META_LIST) {
        for (size_t i = 0; i < tags->n; i++) {
            para_text(&P, i ? "  #" : "#", i ? 3 : 1, 0, NULL);
            meta_add(&P, tags->items[i], &b);
        }
    } else if (tags) {
        meta_add(&P, tags, &b);
    }
    if (P.text.len)
        meta_line(L, &P, COLOR_MUTED);
    else
        para_free(&P);
    nc_buf_free(&b);
    lay_glue(L, L->base * 0.6);
    L->items[L->nitems - 1].flags |= IT_KEEP;
    rule(L, 0.8, COLOR_RULE);
    lay_glue(L, L->base * 1.0);
}

/* Each note's blocks become items after the main flow; the paginator sets them at the foot
 * of the page that references them, in a smaller size. Notes may reference notes: the list
 * grows while it is walked. */
static void notes(lay *L)
{
    L->main_end = L->nitems;
    if (!L->nnotes)
        return;
    double saved_base = L->base, saved_indent = L->indent;
    L->base = saved_base * 0.85;
    L->indent = L->base * 2;
    for (size_t i = 0; i < L->nnotes; i++) {
        L->note_first = nc_xrealloc(L->note_first, L->capnotes * sizeof *L->note_first);
        L->note_end = nc_xrealloc(L->note_end, L->capnotes * sizeof *L->note_end);
        char num[32], back[48], id[48];
        snprintf(num, sizeof num, "%zu", i + 1);
        snprintf(back, sizeof back, "fnref-%zu", i + 1);
        snprintf(id, sizeof id, "fn-%zu", i + 1);
        set_marker(L, num, 0, L->base, 0x0969DA, -1);
        L->marker_url = nc_doc_strdup(L->out->arena, back);
        size_t first = L->nitems;
        blocks(L, L->notes[i]->first, 1);
        if (L->marker) {
            para P;
            para_init(&P, L->base, 0);
            para_set(L, &P, width(L), false);
            para_free(&P);
        }
        /* glue inside a note is spacing; between notes there is none */
        while (L->nitems > first && (L->items[L->nitems - 1].flags & IT_GLUE))
            L->nitems--;
        for (size_t k = first; k < L->nitems; k++)
            L->items[k].flags &= ~(unsigned)IT_KEEP;
        if (first < L->nitems)
            lay_anchor_add(L, nc_doc_strdup(L->out->arena, id), first);
        L->note_first[i] = first;
        L->note_end[i] = L->nitems;
    }
    L->base = saved_base;
    L->indent = saved_indent;
}

/* One level of the toc filter's list: each entry linked to its heading, with dot leaders and
 * the page number, which the paginator fills in (text ops tagged dest_page = -2 - N for the
 * N-th entry). Deeper levels are indented under their entry. */
static void toc_list(lay *L, const nc_node *list, int level)
{
    double numcol = L->base * 3;
    nc_buf t = NC_BUF_INIT;
    for (const nc_node *li = list->first; li; li = li->next) {
        const nc_node *entry = li->first;
        if (!entry || (entry->kind != NC_PLAIN && entry->kind != NC_PARA))
            continue;
        const nc_node *link = entry->first;
        const char *url = link && link->kind == NC_LINK && !link->next && link->url &&
                                  link->url[0] == '#' && link->url[1]
                              ? link->url
                              : NULL;
        nc_buf_clear(&t);
        nc_node_text(entry, &t);
        double saved = L->indent;
        L->indent += L->base * 1.5 * level;
        para P;
        para_init(&P, L->base, level == 0 ? S_BOLD : 0);
        P.justify = false;
        P.pos = entry->pos;
        para_text(&P, t.len ? t.ptr : " ", t.len ? t.len : 1, url ? S_LINK | S_QUIET : 0, url);
        para_set(L, &P, width(L) - numcol, false);
        para_free(&P);
        L->indent = saved;
        if (url) {
            if (L->ntoc == L->captoc) {
                L->captoc = L->captoc ? L->captoc * 2 : 32;
                L->toc_ids = nc_xrealloc(L->toc_ids, L->captoc * sizeof *L->toc_ids);
            }
            size_t idx = L->ntoc;
            L->toc_ids[L->ntoc++] = url + 1;
            /* the page number's place, on the entry's last line */
            item *last = &L->items[L->nitems - 1];
            double end = L->left + L->indent;
            for (size_t q = last->op0; q < L->nops; q++)
                if (L->ops[q].kind == NC_OP_TEXT) {
                    double e = lay_run_end(L, &L->ops[q]);
                    if (e > end)
                        end = e;
                }
            nc_op *o = lay_op(L, NC_OP_TEXT);
            o->font = NC_F_MAIN;
            o->size = L->base;
            o->x = end;                     /* where the leaders may start */
            o->w = L->right;                /* where the number must end */
            o->y = -((last->height - L->base) / 2 + L->base * 0.86);
            o->color = 0x1F2328;
            o->text = "";
            o->dest_page = -2 - (int)idx;
            lay_end_item(L);
        }
        lay_glue(L, L->base * 0.15);
        for (const nc_node *sub = entry->next; sub; sub = sub->next)
            if (sub->kind == NC_BULLET_LIST || sub->kind == NC_ORDERED_LIST)
                toc_list(L, sub, level + 1);
    }
    nc_buf_free(&t);
}

/* The toc filter's Div: its title, then the entries. */
static void toc(lay *L, const nc_node *div)
{
    const char *title = nc_node_get_kv(div, "title");
    if (!title)
        title = L->ja ? "\xe7\x9b\xae\xe6\xac\xa1" : "Contents"; /* 目次 */
    if (*title) {
        para T;
        para_init(&T, L->base * 1.3, S_SANS | S_BOLD);
        T.leading = 1.4;
        T.justify = false;
        T.pos = div->pos;
        para_text(&T, title, strlen(title), 0, NULL);
        para_set(L, &T, width(L), true);
        para_free(&T);
        lay_glue(L, L->base * 0.5);
        L->items[L->nitems - 1].flags |= IT_KEEP;
    }
    for (const nc_node *n = div->first; n; n = n->next)
        if (n->kind == NC_BULLET_LIST || n->kind == NC_ORDERED_LIST)
            toc_list(L, n, 0);
    lay_glue(L, L->base * 1.0);
}

void lay_document(lay *L)
{
    title_block(L);
    blocks(L, nc_doc_root(L->doc)->first, 0);
    notes(L);
    if (!L->nitems) {
        /* an empty note still gives a page */
        lay_item(L, 1, 0);
        lay_end_item(L);
    }
}
