/* empty_sections.c — the empty-sections filter: a heading whose section holds nothing (the
 * next heading of the same or a higher level, or the end, follows at once, or only empty
 * subsections and comments do) is removed, also from a toc made before, or with "mark" given
 * the class "empty-section". Headings inside quotes, lists and notes are left alone. */
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"

typedef struct open {
    nc_node *h;
    bool content;
} open;

typedef struct ctx {
    nc_doc *doc;
    bool mark;
    open *stack;
    size_t n, cap;
    const char **gone; /* ids of the removed headings, for a toc made before */
    size_t ngone, capgone;
} ctx;

/* A raw HTML block of comments only (<!--more-->, notes to self) shows nothing. */
static bool shows_nothing(const nc_node *b)
{
    if (b->kind != NC_RAW_BLOCK || !b->format || strcmp(b->format, "html") != 0)
        return false;
    const char *s = b->text, *e = b->text + b->len;
    for (;;) {
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            s++;
        if (s == e)
            return true;
        if (e - s < 4 || strncmp(s, "<!--", 4) != 0)
            return false;
        const char *end = NULL;
        for (const char *q = s + 4; q + 3 <= e; q++)
            if (q[0] == '-' && q[1] == '-' && q[2] == '>') {
                end = q;
                break;
            }
        if (!end)
            return true;
        s = end + 3;
    }
}

/* A toc is not a section's content: it lists the sections. */
static bool is_toc(const nc_node *b)
{
    return b->kind == NC_DIV && b->attr && b->attr->id && strcmp(b->attr->id, "TOC") == 0 &&
           nc_node_has_class(b, "toc");
}

static void close_one(ctx *c)
{
    open o = c->stack[--c->n];
    if (o.content) {
        if (c->n)
            c->stack[c->n - 1].content = true;
        return;
    }
    if (c->mark) {
        if (!nc_node_has_class(o.h, "empty-section"))
            nc_node_add_class(c->doc, o.h, "empty-section");
    } else {
        nc_node_unlink(o.h);
        if (o.h->attr && o.h->attr->id && *o.h->attr->id) {
            if (c->ngone == c->capgone) {
                c->capgone = c->capgone ? c->capgone * 2 : 16;
                c->gone = nc_xrealloc(c->gone, c->capgone * sizeof *c->gone);
            }
            c->gone[c->ngone++] = o.h->attr->id;
        }
    }
}

/* One container's blocks: an open heading gets content from any block that is not a
 * heading; a heading closes the open ones at its level and below. A div is content of the
 * section it is in, and its own headings make sections of their own. */
static void container(ctx *c, nc_node *parent)
{
    size_t base = c->n;
    for (nc_node *b = parent->first; b;) {
        nc_node *next = b->next;
        if (b->kind == NC_HEADER) {
            while (c->n > base && c->stack[c->n - 1].h->level >= b->level)
                close_one(c);
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 16;
                c->stack = nc_xrealloc(c->stack, c->cap * sizeof *c->stack);
            }
            c->stack[c->n].h = b;
            c->stack[c->n].content = false;
            c->n++;
        } else if (!shows_nothing(b) && !is_toc(b)) {
            if (c->n > base)
                c->stack[c->n - 1].content = true;
            if (b->kind == NC_DIV)
                container(c, b);
        }
        b = next;
    }
    while (c->n > base)
        close_one(c);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool gone(const ctx *c, const nc_node *li)
{
    const nc_node *link = li->first ? li->first->first : NULL;
    if (!link || link->kind != NC_LINK || !link->url || link->url[0] != '#')
        return false;
    const char *key = link->url + 1;
    return bsearch(&key, c->gone, c->ngone, sizeof key, by_str) != NULL;
}

/* Nested as deep as the headings are (six levels), so recursion is safe. */
static void prune_list(const ctx *c, nc_node *list)
{
    for (nc_node *li = list->first, *next; li; li = next) {
        next = li->next;
        if (gone(c, li)) {
            nc_node_unlink(li);
            continue;
        }
        for (nc_node *sub = li->first, *subnext; sub; sub = subnext) {
            subnext = sub->next;
            if (sub->kind == NC_BULLET_LIST) {
                prune_list(c, sub);
                if (!sub->first)
                    nc_node_unlink(sub);
            }
        }
    }
}

/* A toc made before this filter ran loses the entries of the removed headings (a list left
 * empty goes with them): it never links to a heading that is not there. */
static void prune_toc(ctx *c, nc_node *root)
{
    if (!c->ngone)
        return;
    qsort(c->gone, c->ngone, sizeof *c->gone, by_str);
    for (nc_node *div = root->first; div; div = div->next) {
        if (!is_toc(div))
            continue;
        for (nc_node *l = div->first, *next; l; l = next) {
            next = l->next;
            if (l->kind == NC_BULLET_LIST) {
                prune_list(c, l);
                if (!l->first)
                    nc_node_unlink(l);
            }
        }
        if (!div->first)
            nc_node_unlink(div);
        return;
    }
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {"action", NULL};
    static const char *const actions[] = {"remove", "mark", NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "empty-sections", args, keys, diag) != 0)
        return -1;
    int action = 0;
    int rc = nc_fargs_choice(&a, 0, actions, &action, diag);
    nc_fargs_free(&a);
    if (rc != 0)
        return -1;
    ctx c = {doc, action == 1, NULL, 0, 0, NULL, 0, 0};
    container(&c, nc_doc_root(doc));
    prune_toc(&c, nc_doc_root(doc));
    free(c.stack);
    free(c.gone);
    return 0;
}

const nc_filter nc_filter_empty_sections = {
    "empty-sections",
    "remove headings whose section is empty (nothing but empty subsections or comments), "
    "or mark them",
    "action (remove, the default; mark: add the class empty-section)",
    false,
    run,
};
