/* number_sections.c — the number-sections filter: "1", "1.1", "1.2" … before the text of each
 * section heading, in a Span of class "header-section-number" as pandoc writes it, and in the
 * heading's "number" attribute, and in a toc made before it. Ids stay as they were;
 * headings of class "unnumbered" are skipped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"

typedef struct numbered {
    const char *id;
    const char *num;
} numbered;

typedef struct ctx {
    nc_doc *doc;
    int from;        /* the level numbered "1", "2" …; 0: the highest level in the note */
    int count[7];
    numbered *done;  /* the numbered headings with ids, for a toc made before */
    size_t ndone, cap;
} ctx;

static void lowest(nc_node *h, void *user)
{
    int *from = user;
    if (!nc_node_has_class(h, "unnumbered") && (!*from || h->level < *from))
        *from = h->level;
}

/* The number before a heading's (or a toc entry's) text; a second run renumbers instead of
 * numbering the numbers. */
static void put_number(nc_doc *doc, nc_node *h, const char *num)
{
    nc_node *had = h->first;
    if (had && had->kind == NC_SPAN && nc_node_has_class(had, "header-section-number")) {
        if (had->next && had->next->kind == NC_SPACE)
            nc_node_unlink(had->next);
        nc_node_unlink(had);
    }
    nc_node *span = nc_node_new(doc, NC_SPAN, &h->pos);
    nc_node_add_class(doc, span, "header-section-number");
    nc_node *str = nc_node_new(doc, NC_STR, &h->pos);
    nc_node_set_text(doc, str, num, strlen(num));
    nc_node_append(span, str);
    if (h->first)
        nc_node_prepend(h, nc_node_new(doc, NC_SPACE, &h->pos));
    nc_node_prepend(h, span);
}

static void number(nc_node *h, void *user)
{
    ctx *c = user;
    if (h->level < c->from || nc_node_has_class(h, "unnumbered"))
        return;
    int lv = h->level > 6 ? 6 : h->level;
    c->count[lv]++;
    for (int k = lv + 1; k <= 6; k++)
        c->count[k] = 0;
    char num[7 * 12];
    size_t len = 0;
    for (int k = c->from; k <= lv; k++)
        len += (size_t)snprintf(num + len, sizeof num - len, k > c->from ? ".%d" : "%d",
                                c->count[k]);
    const char *number = nc_doc_strndup(c->doc, num, len);
    put_number(c->doc, h, number);
    nc_node_set_kv(c->doc, h, "number", number);
    if (h->attr && h->attr->id && *h->attr->id) {
        if (c->ndone == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 64;
            c->done = nc_xrealloc(c->done, c->cap * sizeof *c->done);
        }
        c->done[c->ndone].id = h->attr->id;
        c->done[c->ndone].num = number;
        c->ndone++;
    }
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const numbered *)a)->id, ((const numbered *)b)->id);
}

/* A toc made before this filter ran gets the numbers too: its entries are links to the
 * headings' ids. */
static void number_toc(ctx *c, nc_node *root)
{
    if (!c->ndone)
        return;
    qsort(c->done, c->ndone, sizeof *c->done, by_id);
    for (nc_node *div = root->first; div; div = div->next) {
        if (div->kind != NC_DIV || !div->attr || !div->attr->id ||
            strcmp(div->attr->id, "TOC") != 0 || !nc_node_has_class(div, "toc"))
            continue;
        for (nc_node *n = div; n;) {
            if (n->kind == NC_LINK && n->url && n->url[0] == '#') {
                numbered key = {n->url + 1, NULL};
                numbered *hit = bsearch(&key, c->done, c->ndone, sizeof key, by_id);
                if (hit)
                    put_number(c->doc, n, hit->num);
            }
            if (n->first && n->kind != NC_LINK) {
                n = n->first;
                continue;
            }
            while (n != div && !n->next)
                n = n->parent;
            n = n == div ? NULL : n->next;
        }
    }
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {"from", NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "number-sections", args, keys, diag) != 0)
        return -1;
    ctx c = {doc, 0, {0}, NULL, 0, 0};
    int rc = nc_fargs_int(&a, 0, 1, 6, &c.from, diag);
    nc_fargs_free(&a);
    if (rc != 0)
        return -1;
    nc_node *root = nc_doc_root(doc);
    if (!c.from)
        nc_each_section_heading(root, lowest, &c.from);
    if (c.from)
        nc_each_section_heading(root, number, &c);
    number_toc(&c, root);
    free(c.done);
    return 0;
}

const nc_filter nc_filter_number_sections = {
    "number-sections",
    "number the section headings 1, 1.1, 1.2 … (ids unchanged; the toc shows the numbers "
    "whichever runs first)",
    "from (1-6): the heading level numbered 1, 2, …; default: the highest level in the note",
    false,
    run,
};
