/* layout.c — the layout engine of the PDF writer: blocks become a vertical list of items
 * (lines, glue, rules), which the paginator cuts into pages honouring keep-with-next, widows
 * and orphans. Fonts are known only through metrics (font.h); nothing here includes hpdf.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"
#include "writer/pdf/libs.h"

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
        /* a long document's vertical list is hundreds of megabytes: on huge pages */
        L->ops = nc_big_realloc(L->ops, L->nops * sizeof *L->ops, L->capops * sizeof *L->ops);
    }
    nc_op *o = &L->ops[L->nops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->dest_page = -1;
    return o;
}

nc_op *lay_rect(lay *L, double x, double y, double w, double h, uint32_t color)
{
    nc_op *o = lay_op(L, NC_OP_RECT);
    o->x = x;
    o->y = y;
    o->w = w;
    o->h = h;
    o->color = color;
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
    if (L->framing) {
        for (int k = 0; k < 2; k++) {
            lay_rect(L, L->frame[k] - (k ? 0.8 : 0), -height, 0.8, height, 0xC8CDD3);
        }
    }
    for (int i = 0; i < L->nbars; i++) {
        lay_rect(L, L->bars[i], -height, 1.6, height, 0xC8CDD3);
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
    /* doubling: a document may have thousands of pages */
    if (o->npages == o->cappages) {
        o->cappages = o->cappages ? 2 * o->cappages : 16;
        o->pages = nc_xrealloc(o->pages, o->cappages * sizeof *o->pages);
    }
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

/* Copies an item's ops onto the page with its top at y. */
static void draw(const lay *L, nc_page *p, const item *it, double top)
{
    for (size_t k = it->op0; k < it->op1; k++) {
        nc_op *o = page_op(p);
        *o = L->ops[k];
        o->y += top;
    }
}

static void place(lay *L, nc_page *p, item *it, double top)
{
    it->page = (int)L->out->npages - 1;
    it->y = top;
    draw(L, p, it, top);
}

static void footer(lay *L, nc_page *p, int number)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%d", number);
    double size = L->base * 0.85;
    double w = lay_width(L, NC_F_MAIN, num, (size_t)n, size, 0);
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

/* Which notes each item references: the first in by_item[item], the next in next[note], in
 * note order. Built once per pagination, so that finding an item's notes does not scan them
 * all (100,000 footnotes made pagination quadratic). */
typedef struct note_index {
    size_t *by_item, *next;
} note_index;

static void index_notes(const lay *L, note_index *x)
{
    x->by_item = nc_xmalloc((L->nitems + 1) * sizeof *x->by_item);
    x->next = nc_xmalloc((L->nnotes + 1) * sizeof *x->next);
    for (size_t i = 0; i < L->nitems; i++)
        x->by_item[i] = SIZE_MAX;
    for (size_t k = L->nnotes; k-- > 0;) {
        size_t at = L->note_item[k];
        x->next[k] = SIZE_MAX;
        if (at < L->nitems) {
            x->next[k] = x->by_item[at];
            x->by_item[at] = k;
        }
    }
}

/* The items of the notes referenced from item i, and of the notes those notes reference, in
 * note order, appended to out. A note referenced from inside a note goes with it when it comes
 * after that note (an earlier one was placed on its own). todo is scratch: the notes still to
 * take, ascending. */
static void notes_of(const lay *L, const note_index *x, size_t i, size_t **out, size_t *n,
                     size_t *cap, size_t **todo, size_t *captodo)
{
    size_t ntodo = 0, done = 0;
    for (size_t k = x->by_item[i]; k != SIZE_MAX; k = x->next[k]) {
        if (ntodo == *captodo) {
            *captodo = *captodo ? *captodo * 2 : 16;
            *todo = nc_xrealloc(*todo, *captodo * sizeof **todo);
        }
        (*todo)[ntodo++] = k;
    }
    /* todo[done..ntodo) stays sorted: the notes of one item come in order, and those found
       inside a note are merged in after it */
    while (done < ntodo) {
        size_t k = (*todo)[done++];
        for (size_t j = L->note_first[k]; j < L->note_end[k]; j++) {
            if (*n == *cap) {
                *cap = *cap ? *cap * 2 : 16;
                *out = nc_xrealloc(*out, *cap * sizeof **out);
            }
            (*out)[(*n)++] = j;
            for (size_t k2 = j < L->nitems ? x->by_item[j] : SIZE_MAX; k2 != SIZE_MAX;
                 k2 = x->next[k2]) {
                if (k2 <= k)
                    continue;
                size_t at = done;
                while (at < ntodo && (*todo)[at] < k2)
                    at++;
                if (at < ntodo && (*todo)[at] == k2)
                    continue;
                if (ntodo == *captodo) {
                    *captodo = *captodo ? *captodo * 2 : 16;
                    *todo = nc_xrealloc(*todo, *captodo * sizeof **todo);
                }
                memmove(*todo + at + 1, *todo + at, (ntodo - at) * sizeof **todo);
                (*todo)[at] = k2;
                ntodo++;
            }
        }
    }
}

typedef struct pager {
    nc_page *p;
    double y;           /* top of the free space */
    size_t first;       /* the first main item on the page */
    size_t *notes;      /* note items to set at the foot of this page */
    size_t nnotes, capnotes;
    double notes_h;     /* their height, with the separator */
    size_t *carry;      /* note items that did not fit, for the next page */
    size_t ncarry, capcarry;
} pager;

static void push(size_t **a, size_t *n, size_t *cap, size_t v)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *a = nc_xrealloc(*a, *cap * sizeof **a);
    }
    (*a)[(*n)++] = v;
}

/* Footnotes sit at the foot of the page, under a short rule. */
static void finish_page(lay *L, pager *g)
{
    if (!g->nnotes)
        return;
    double sep = L->base * 1.2;
    double top = L->bottom + g->notes_h;
    nc_op *o = page_op(g->p);
    memset(o, 0, sizeof *o);
    o->kind = NC_OP_RECT;
    o->x = L->left;
    o->y = top - sep * 0.45;
    o->w = (L->right - L->left) / 3;
    o->h = 0.6;
    o->color = 0xC8CDD3;
    o->dest_page = -1;
    double yy = top - sep;
    for (size_t k = 0; k < g->nnotes; k++) {
        item *it = &L->items[g->notes[k]];
        place(L, g->p, it, yy);
        yy -= it->height;
    }
}

/* Adds note items to the page while they fit (into the space above limit); the rest wait
 * for the next page. */
static void take_notes(lay *L, pager *g, const size_t *items, size_t n, double limit)
{
    double sep = L->base * 1.2;
    for (size_t k = 0; k < n; k++) {
        double h = L->items[items[k]].height + (g->nnotes ? 0 : sep);
        if (g->ncarry || L->bottom + g->notes_h + h > limit) {
            push(&g->carry, &g->ncarry, &g->capcarry, items[k]);
            continue;
        }
        push(&g->notes, &g->nnotes, &g->capnotes, items[k]);
        g->notes_h += h;
    }
}

static void start_page(lay *L, pager *g, size_t first)
{
    g->p = new_page(L);
    g->y = L->top;
    g->first = first;
    g->nnotes = 0;
    g->notes_h = 0;
    /* notes carried over take up to half of the new page */
    size_t n = g->ncarry;
    size_t *c = nc_xmalloc((n ? n : 1) * sizeof *c);
    if (n)
        memcpy(c, g->carry, n * sizeof *c);
    g->ncarry = 0;
    take_notes(L, g, c, n, L->bottom + (L->top - L->bottom) / 2);
    free(c);
}

static void paginate(lay *L)
{
    close_item(L);
    size_t end = L->main_end ? L->main_end : L->nitems;
    pager g;
    memset(&g, 0, sizeof g);
    start_page(L, &g, 0);
    /* what each placed item changed, to take it back when the page ends earlier */
    size_t *opmark = nc_xmalloc((end + 1) * sizeof *opmark);
    size_t *notemark = nc_xmalloc((end + 1) * sizeof *notemark);
    size_t *carrymark = nc_xmalloc((end + 1) * sizeof *carrymark);
    double *hmark = nc_xmalloc((end + 1) * sizeof *hmark);
    size_t *att = NULL, natt = 0, capatt = 0, *todo = NULL, captodo = 0;
    note_index nx = {NULL, NULL};
    if (L->nnotes)
        index_notes(L, &nx);
    double sep = L->base * 1.2;
    for (size_t i = 0; i < end;) {
        item *it = &L->items[i];
        bool at_top = (i == g.first);
        if (at_top && (it->flags & IT_GLUE) && !(it->flags & IT_KEEP_GLUE)) {
            it->page = (int)L->out->npages - 1;
            it->y = g.y;
            i++;
            g.first = i;
            continue;
        }
        if ((it->flags & IT_PAGEBREAK) && !at_top) {
            finish_page(L, &g);
            start_page(L, &g, i);
            continue;
        }
        /* a table that goes on from the last page repeats its header row */
        if (at_top && it->repeat && g.y == L->top) {
            const item *h = &L->items[it->repeat - 1];
            draw(L, g.p, h, g.y); /* a copy: the header's own place stays where it is */
            g.y -= h->height;
        }
        natt = 0;
        if (L->nnotes)
            notes_of(L, &nx, i, &att, &natt, &capatt, &todo, &captodo);
        double need = 0;
        for (size_t k = 0; k < natt; k++)
            need += L->items[att[k]].height;
        if (natt && !g.nnotes)
            need += sep;
        if (g.ncarry)
            need = 0; /* new notes wait behind the carried ones anyway */
        if (g.y - it->height - need >= L->bottom + g.notes_h - 0.01 || at_top) {
            opmark[i] = g.p->n;
            notemark[i] = g.nnotes;
            carrymark[i] = g.ncarry;
            hmark[i] = g.notes_h;
            place(L, g.p, it, g.y);
            g.y -= it->height;
            if (natt)
                take_notes(L, &g, att, natt, g.y);
            i++;
            continue;
        }
        /* the page may only end before an item whose predecessor does not keep with it */
        size_t j = i;
        while (j > g.first && (L->items[j - 1].flags & IT_KEEP))
            j--;
        /* a chain of kept items longer than a page cannot be honoured */
        if (j == g.first)
            j = i;
        if (j < i) {
            g.p->n = opmark[j];
            g.nnotes = notemark[j];
            g.ncarry = carrymark[j];
            g.notes_h = hmark[j];
            i = j;
        }
        finish_page(L, &g);
        start_page(L, &g, i);
    }
    /* notes still waiting get pages of their own */
    while (true) {
        finish_page(L, &g);
        if (!g.ncarry)
            break;
        size_t before = g.ncarry;
        start_page(L, &g, end);
        if (!g.nnotes && g.ncarry == before) {
            /* a note line taller than half a page: take it anyway */
            push(&g.notes, &g.nnotes, &g.capnotes, g.carry[0]);
            memmove(g.carry, g.carry + 1, (g.ncarry - 1) * sizeof *g.carry);
            g.ncarry--;
        }
    }
    free(opmark);
    free(notemark);
    free(carrymark);
    free(hmark);
    free(att);
    free(todo);
    free(nx.by_item);
    free(nx.next);
    free(g.notes);
    free(g.carry);
    /* the last page may be left empty by trailing glue */
    if (L->out->npages > 1 && L->out->pages[L->out->npages - 1].n == 0) {
        free(L->out->pages[L->out->npages - 1].ops);
        L->out->npages--;
    }
    for (size_t k = 0; k < L->out->npages; k++)
        footer(L, &L->out->pages[k], (int)k + 1);
}

/* A table-of-contents entry's page number, right-aligned, with dot leaders before it and a
 * link to the heading over both. */
static void toc_number(lay *L, nc_page *p, size_t i)
{
    nc_op *o = &p->ops[i];
    size_t entry = (size_t)(-2 - o->dest_page);
    o->dest_page = -1;
    item *t = entry < L->ntoc ? lay_anchor_item(L, L->toc_ids[entry]) : NULL;
    if (!t)
        return;
    char num[24];
    int n = snprintf(num, sizeof num, "%d", t->page + 1);
    nc_font *f = lay_font(L, o->font);
    double w = lay_width(L, o->font, num, (size_t)n, o->size, 0);
    double start = o->x, right = o->w;
    o->text = nc_doc_strndup(L->out->arena, num, (size_t)n);
    o->len = (size_t)n;
    o->x = right - w;
    o->w = 0;
    double y = o->y, size = o->size;
    int font = o->font;
    /* leaders: dots on a grid from the right, so that the columns of dots line up */
    double dot = nc_font_width(f, '.', size), pitch = size * 0.5;
    size_t ndots = 0;
    double first = right - w - size * 0.5;
    while (first - pitch * (double)(ndots + 1) >= start + size * 0.4)
        ndots++;
    if (ndots) {
        nc_buf b = NC_BUF_INIT;
        for (size_t k = 0; k < ndots; k++)
            nc_buf_putc(&b, '.');
        nc_op *d = page_op(p);
        memset(d, 0, sizeof *d);
        d->kind = NC_OP_TEXT;
        d->font = font;
        d->size = size;
        d->x = first - pitch * (double)ndots;
        d->y = y;
        d->char_space = pitch - dot;
        d->color = 0x8C959F;
        d->text = nc_doc_strndup(L->out->arena, b.ptr, b.len);
        d->len = b.len;
        d->dest_page = -1;
        nc_buf_free(&b);
    }
    nc_op *a = page_op(p);
    memset(a, 0, sizeof *a);
    a->kind = NC_OP_GOTO;
    a->x = start;
    a->y = y - size * 0.25;
    a->w = right - start;
    a->h = size * 1.2;
    a->dest_page = t->page;
    a->dest_y = t->y;
}

/* Link destinations and bookmarks are known once items have pages. */
static void resolve(lay *L)
{
    for (size_t k = 0; k < L->out->npages; k++) {
        nc_page *p = &L->out->pages[k];
        size_t n = p->n; /* table-of-contents leaders are added past the end */
        for (size_t i = 0; i < n; i++) {
            nc_op *o = &p->ops[i];
            if (o->kind == NC_OP_TEXT && o->dest_page <= -2) {
                toc_number(L, p, i);
                o = &p->ops[i];
                continue;
            }
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
    /* every way into the typesetter passes here, before any library of libs.h is called */
    if (nc_pdf_libs_open(diag) != 0)
        return NULL;
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
    for (size_t i = 0; i < l->nimages; i++) {
        nc_image_free(&l->images[i]);
        free(l->image_paths[i]);
    }
    free(l->images);
    free(l->image_paths);
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

static const char *const op_names[] = {"text", "rect", "line", "uri", "goto", "image"};

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
            case NC_OP_IMAGE: {
                const char *path = l->image_paths[o->image];
                const char *slash = strrchr(path, '/');
                nc_buf_printf(out, " w %.1f h %.1f %ux%u %s\n", o->w, o->h,
                              l->images[o->image].width, l->images[o->image].height,
                              slash ? slash + 1 : path);
                break;
            }
            }
        }
    }
}
