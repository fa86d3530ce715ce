/* empty_sections.c — the empty-sections filter: a heading whose section holds nothing (the
 * next heading of the same or a higher level, or the end, follows at once, or only empty
 * subsections and comments do) is removed, or with "mark" given the class "empty-section".
 * Headings inside quotes, lists and notes are not sections and are left alone. */
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
    size_t removed;
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

static void close_one(ctx *c)
{
    open o = c->stack[--c->n];
    if (o.content) {
        if (c->n)
            c->stack[c->n - 1].content = true;
        return;
    }
    if (c->mark) {
        nc_node_add_class(c->doc, o.h, "empty-section");
    } else {
        nc_node_unlink(o.h);
        c->removed++;
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
        } else if (!shows_nothing(b)) {
            if (c->n > base)
                c->stack[c->n - 1].content = true;
            if (b->kind == NC_DIV && !(b->attr && b->attr->id && strcmp(b->attr->id, "TOC") == 0))
                container(c, b);
        }
        b = next;
    }
    while (c->n > base)
        close_one(c);
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
    ctx c = {doc, action == 1, NULL, 0, 0, 0};
    container(&c, nc_doc_root(doc));
    free(c.stack);
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
