/* layout.c — the layout engine of the PDF writer: blocks become a vertical list of items
 * (lines, glue, rules), which the paginator cuts into pages honouring keep-with-next, widows
 * and orphans. Fonts are known only through metrics (font.h); nothing here includes hpdf.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"

/* ------------------------------------------------------------------------------------------
 * Settings
 * ---------------------------------------------------------------------------------------- */

/* "20mm", "2cm", "1in", "54pt", "54" -> points; -1 when unreadable */
static double length(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    if (!*end || strcmp(end, "pt") == 0)
        return v;
    if (strcmp(end, "mm") == 0)
        return v * 72.0 / 25.4;
    if (strcmp(end, "cm") == 0)
        return v * 72.0 / 2.54;
    if (strcmp(end, "in") == 0)
        return v * 72.0;
    return -1;
}

static int settings(lay *L, const nc_options *opt, nc_diag *diag)
{
    const char *paper = nc_options_var(opt, "papersize");
    nc_meta *m = nc_meta_get(nc_doc_meta(L->doc), "papersize");
    if (!paper && m && m->kind == NC_META_STRING)
        paper = m->str;
    if (!paper || strcasecmp(paper, "a4") == 0) {
        L->out->page_w = 595.276;
        L->out->page_h = 841.890;
    } else if (strcasecmp(paper, "a5") == 0) {
        L->out->page_w = 419.528;
        L->out->page_h = 595.276;
    } else if (strcasecmp(paper, "b5") == 0) {
        /* JIS B5, the B5 of Japanese paper */
        L->out->page_w = 515.906;
        L->out->page_h = 728.504;
    } else if (strcasecmp(paper, "letter") == 0) {
        L->out->page_w = 612;
        L->out->page_h = 792;
    } else {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "unknown papersize '%s' (valid: a4, a5, b5, letter)", paper);
        return -1;
    }
    double small = L->out->page_w < 500;
    L->base = small ? 9 : 10;
    const char *fs = nc_options_var(opt, "fontsize");
    if (fs) {
        double v = length(fs);
        if (v < 5 || v > 40) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "fontsize '%s' is not a size from 5pt to 40pt", fs);
            return -1;
        }
        L->base = v;
    }
    double margin = small ? 15 * 72 / 25.4 : 20 * 72 / 25.4;
    const char *mg = nc_options_var(opt, "margin");
    if (mg) {
        double v = length(mg);
        if (v < 0 || v * 2 > L->out->page_w - 72) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "margin '%s' is not a length that leaves room for text "
                           "(e.g. 20mm, 2cm, 1in, 54pt)", mg);
            return -1;
        }
        margin = v;
    }
    L->out->margin_l = L->out->margin_r = margin;
    L->out->margin_t = margin;
    /* the footer (page number) sits in the bottom margin, so it gets a little more room */
    L->out->margin_b = margin + L->base;
    L->left = margin;
    L->right = L->out->page_w - margin;
    L->top = L->out->page_h - L->out->margin_t;
    L->bottom = L->out->margin_b;
    L->ja = strncmp(nc_doc_lang(L->doc), "ja", 2) == 0;
    L->leading = L->ja ? 1.75 : 1.45;
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * The vertical list
 * ---------------------------------------------------------------------------------------- */

nc_op *lay_op(lay *L, nc_op_kind kind)
{
    if (L->nops == L->capops) {
        L->capops = L->capops ? L->capops * 2 : 1024;
        L->ops = nc_xrealloc(L->ops, L->capops * sizeof *L->ops);
    }
    nc_op *o = &L->ops[L->nops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->dest_page = -1;
    return o;
}

/* Starts an item of the given height; ops added until the next item belong to it, with y
 * measured down from the item's top (negative). Decorations of the enclosing blocks (quote
 * bars, code backgrounds) are added to every item so that they continue across pages. */
item *lay_item(lay *L, double height, unsigned flags)
{
    if (L->nitems == L->capitems) {
        L->capitems = L->capitems ? L->capitems * 2 : 256;
        L->items = nc_xrealloc(L->items, L->capitems * sizeof *L->items);
    }
    item *it = &L->items[L->nitems++];
    memset(it, 0, sizeof *it);
    it->height = height;
    it->flags = flags;
    it->op0 = L->nops;
    it->anchor = NULL;
    for (int i = 0; i < L->nbars; i++) {
        nc_op *o = lay_op(L, NC_OP_RECT);
        o->x = L->bars[i];
        o->y = -height;
        o->w = 1.6;
        o->h = height;
        o->color = 0xC8CDD3;
    }
    return it;
}

static void close_item(lay *L)
{
    if (L->nitems)
        L->items[L->nitems - 1].op1 = L->nops;
}

void lay_glue(lay *L, double h)
{
    close_item(L);
    /* two pieces of glue in a row: the larger wins, as CSS margins collapse */
    if (L->nitems && (L->items[L->nitems - 1].flags & IT_GLUE) && !L->nbars) {
        item *g = &L->items[L->nitems - 1];
        if (h > g->height)
            g->height = h;
        return;
    }
    lay_item(L, h, IT_GLUE);
    close_item(L);
}

void lay_end_item(lay *L)
{
    close_item(L);
}

/* ------------------------------------------------------------------------------------------
 * Pagination
 * ---------------------------------------------------------------------------------------- */

static nc_page *new_page(lay *L)
{
    nc_layout *o = L->out;
    o->pages = nc_xrealloc(o->pages, (o->npages + 1) * sizeof *o->pages);
    nc_page *p = &o->pages[o->npages++];
    memset(p, 0, sizeof *p);
    return p;
}

static nc_op *page_op(nc_page *p)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->ops = nc_xrealloc(p->ops, p->cap * sizeof *p->ops);
    }
    return &p->ops[p->n++];
}

static void place(lay *L, nc_page *p, item *it, double top)
{
    it->page = (int)L->out->npages - 1;
    it->y = top;
    for (size_t k = it->op0; k < it->op1; k++) {
        nc_op *o = page_op(p);
        *o = L->ops[k];
        o->y += top;
    }
}

static void footer(lay *L, nc_page *p, int number)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%d", number);
    double size = L->base * 0.85;
    double w = 0;
    for (int i = 0; i < n; i++)
        w += nc_font_width(lay_font(L, NC_F_MAIN), (unsigned char)num[i], size);
    nc_op *o = page_op(p);
    memset(o, 0, sizeof *o);
    o->kind = NC_OP_TEXT;
    o->font = NC_F_MAIN;
    o->size = size;
    o->x = (L->out->page_w - w) / 2;
    o->y = L->out->margin_b / 2 - size * 0.3;
    o->color = 0x59636E;
    o->text = nc_doc_strndup(L->out->arena, num, (size_t)n);
    o->len = (size_t)n;
    o->dest_page = -1;
}

static void paginate(lay *L)
{
    close_item(L);
    double avail = L->top - L->bottom;
    nc_page *p = new_page(L);
    size_t first = 0; /* the first item on the current page */
    size_t *opmark = nc_xmalloc((L->nitems + 1) * sizeof *opmark);
    double y = L->top;
    for (size_t i = 0; i < L->nitems;) {
        item *it = &L->items[i];
        bool at_top = (i == first);
        if (at_top && (it->flags & IT_GLUE) && !(it->flags & IT_KEEP_GLUE)) {
            it->page = (int)L->out->npages - 1;
            it->y = y;
            i++;
            first = i;
            continue;
        }
        if ((it->flags & IT_PAGEBREAK) && !at_top) {
            p = new_page(L);
            y = L->top;
            first = i;
            continue;
        }
        if (y - it->height >= L->bottom - 0.01 || at_top) {
            opmark[i] = p->n;
            place(L, p, it, y);
            y -= it->height;
            i++;
            continue;
        }
        /* the page may only end before an item whose predecessor does not keep with it */
        size_t j = i;
        while (j > first && (L->items[j - 1].flags & IT_KEEP))
            j--;
        /* a chain of kept items longer than a page cannot be honoured */
        if (j == first)
            j = i;
        if (j < i) {
            p->n = opmark[j];
            i = j;
        }
        (void)avail;
        p = new_page(L);
        y = L->top;
        first = i;
    }
    free(opmark);
    /* the last page may be left empty by trailing glue */
    if (L->out->npages > 1 && L->out->pages[L->out->npages - 1].n == 0) {
        free(L->out->pages[L->out->npages - 1].ops);
        L->out->npages--;
    }
    for (size_t k = 0; k < L->out->npages; k++)
        footer(L, &L->out->pages[k], (int)k + 1);
}

/* Link destinations and bookmarks are known once items have pages. */
static void resolve(lay *L)
{
    for (size_t k = 0; k < L->out->npages; k++) {
        nc_page *p = &L->out->pages[k];
        for (size_t i = 0; i < p->n; i++) {
            nc_op *o = &p->ops[i];
            if (o->kind != NC_OP_GOTO)
                continue;
            item *t = lay_anchor_item(L, o->text);
            if (t) {
                o->dest_page = t->page;
                o->dest_y = t->y;
            } else {
                o->kind = NC_OP_URI; /* unknown anchor: keep it as a plain link */
            }
        }
    }
    nc_layout *out = L->out;
    out->marks = nc_xcalloc(L->nmarks ? L->nmarks : 1, sizeof *out->marks);
    for (size_t i = 0; i < L->nmarks; i++) {
        item *it = &L->items[L->marks[i].item];
        out->marks[i].level = L->marks[i].level;
        out->marks[i].title = L->marks[i].title;
        out->marks[i].page = it->page;
        out->marks[i].y = it->y;
    }
    out->nmarks = L->nmarks;
}

/* ------------------------------------------------------------------------------------------
 * Entry points
 * ---------------------------------------------------------------------------------------- */

nc_layout *nc_layout_new(nc_doc *doc, const nc_options *opt, nc_diag *diag)
{
    lay L;
    memset(&L, 0, sizeof L);
    L.doc = doc;
    L.diag = diag;
    L.opt = opt;
    L.out = nc_xcalloc(1, sizeof *L.out);
    L.out->arena = nc_doc_new();
    if (settings(&L, opt, diag) != 0 || lay_fonts(&L, opt, diag) != 0) {
        nc_layout_free(L.out);
        return NULL;
    }
    lay_document(&L);
    if (L.failed) {
        lay_cleanup(&L);
        free(L.items);
        free(L.ops);
        free(L.marks);
        nc_layout_free(L.out);
        return NULL;
    }
    paginate(&L);
    resolve(&L);
    lay_cleanup(&L);
    free(L.items);
    free(L.ops);
    free(L.marks);
    return L.out;
}

void nc_layout_free(nc_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->npages; i++)
        free(l->pages[i].ops);
    free(l->pages);
    free(l->marks);
    for (int i = 0; i < NC_F_COUNT; i++) {
        if (!l->fonts[i])
            continue;
        bool shared = false;
        for (int j = i + 1; j < NC_F_COUNT; j++)
            shared |= l->fonts[j] == l->fonts[i];
        if (!shared)
            nc_font_free(l->fonts[i]);
    }
    nc_doc_free(l->arena);
    free(l);
}

static const char *const op_names[] = {"text", "rect", "line", "uri", "goto"};

void nc_layout_dump(const nc_layout *l, nc_buf *out)
{
    nc_buf_printf(out, "layout %.2fx%.2f margins %.2f %.2f %.2f %.2f\n", l->page_w, l->page_h,
                  l->margin_t, l->margin_r, l->margin_b, l->margin_l);
    for (int i = 0; i < NC_F_COUNT; i++) {
        const char *path = l->fonts[i] ? nc_font_path(l->fonts[i]) : "-";
        const char *slash = strrchr(path, '/');
        nc_buf_printf(out, "font F%d %s\n", i, slash ? slash + 1 : path);
    }
    for (size_t i = 0; i < l->nmarks; i++)
        nc_buf_printf(out, "mark h%d page %d y %.1f \"%s\"\n", l->marks[i].level,
                      l->marks[i].page + 1, l->marks[i].y, l->marks[i].title);
    for (size_t k = 0; k < l->npages; k++) {
        nc_buf_printf(out, "page %zu\n", k + 1);
        const nc_page *p = &l->pages[k];
        for (size_t i = 0; i < p->n; i++) {
            const nc_op *o = &p->ops[i];
            nc_buf_printf(out, "  %s x %.1f y %.1f", op_names[o->kind], o->x, o->y);
            switch (o->kind) {
            case NC_OP_TEXT:
                nc_buf_printf(out, " F%d %.1f", o->font, o->size);
                if (o->char_space)
                    nc_buf_printf(out, " cs %.2f", o->char_space);
                if (o->flags)
                    nc_buf_printf(out, " flags %u", o->flags);
                if (o->color)
                    nc_buf_printf(out, " #%06X", (unsigned)o->color);
                nc_buf_printf(out, " \"%.*s\"\n", (int)o->len, o->text);
                break;
            case NC_OP_RECT:
            case NC_OP_LINE:
                nc_buf_printf(out, " w %.1f h %.1f #%06X\n", o->w, o->h, (unsigned)o->color);
                break;
            case NC_OP_URI:
                nc_buf_printf(out, " w %.1f h %.1f \"%.*s\"\n", o->w, o->h, (int)o->len,
                              o->text);
                break;
            case NC_OP_GOTO:
                nc_buf_printf(out, " w %.1f h %.1f -> page %d y %.1f\n", o->w, o->h,
                              o->dest_page + 1, o->dest_y);
                break;
            }
        }
    }
}
