/* toc.c — the toc filter: a Div (id "TOC", class "toc", its title in the key "title") holding a
 * nested BulletList of links to the section headings, put where the note asks for it ([TOC] or <!-- toc -->), else after the
 * title. Every writer shows that Div; the filter never renders anything itself. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/internal.h"

typedef struct level {
    int level;
    nc_node *list;
} level;

typedef struct ctx {
    nc_doc *doc;
    int depth;
    nc_node *root;   /* the outer BulletList */
    level stack[7];
    int top;         /* entries in stack */
    size_t n;
    const nc_node *skip; /* a first heading that stands for the title */
} ctx;

/* A heading's inlines as a toc entry: notes dropped (their numbers would be links), links
 * unwrapped (links cannot nest), ids dropped (they belong to the heading). */
static void clean(nc_node *parent)
{
    for (nc_node *n = parent->first; n;) {
        nc_node *next = n->next;
        if (n->kind == NC_NOTE) {
            nc_node_unlink(n);
        } else if (n->kind == NC_LINK) {
            nc_node *first = n->first;
            while (n->first) {
                nc_node *k = n->first;
                nc_node_unlink(k);
                nc_node_insert_before(n, k);
            }
            nc_node_unlink(n);
            if (first)
                next = first; /* what the link held is looked at in its place */
        } else {
            if (n->attr)
                n->attr->id = NULL;
            if (n->first)
                clean(n);
        }
        n = next;
    }
}

static void add(nc_node *h, void *user)
{
    ctx *c = user;
    if (h->level > c->depth || h == c->skip || nc_node_has_class(h, "unlisted"))
        return;
    nc_doc *doc = c->doc;
    nc_node *plain = nc_node_new(doc, NC_PLAIN, &h->pos);
    nc_node *holder = plain;
    if (h->attr && h->attr->id && *h->attr->id) {
        nc_node *link = nc_node_new(doc, NC_LINK, &h->pos);
        nc_buf url = NC_BUF_INIT;
        nc_buf_putc(&url, '#');
        nc_buf_puts(&url, h->attr->id);
        link->url = nc_doc_strndup(doc, url.ptr, url.len);
        link->title = "";
        nc_buf_free(&url);
        nc_node_append(plain, link);
        holder = link;
    }
    for (nc_node *k = h->first; k; k = k->next)
        nc_node_append(holder, nc_node_copy(doc, k));
    clean(holder);
    nc_node *item = nc_node_new(doc, NC_LIST_ITEM, &h->pos);
    nc_node_append(item, plain);

    /* the list for this level: close deeper ones, open a nested one under the last item */
    while (c->top > 1 && c->stack[c->top - 1].level > h->level)
        c->top--;
    level *t = &c->stack[c->top - 1];
    if (c->top == 1 && t->level > h->level)
        t->level = h->level; /* a heading above the first one: it joins the outer list */
    if (t->level < h->level && t->list->last && c->top < 7) {
        nc_node *sub = nc_node_new(doc, NC_BULLET_LIST, &h->pos);
        nc_node_append(t->list->last, sub);
        c->stack[c->top].level = h->level;
        c->stack[c->top].list = sub;
        c->top++;
        t = &c->stack[c->top - 1];
    } else if (!t->list->last) {
        t->level = h->level;
    }
    nc_node_append(t->list, item);
    c->n++;
}

/* A raw HTML block that is only a <!-- toc --> comment (spaces and case aside). */
bool nc_is_toc_comment(const char *text, size_t len)
{
    const char *s = text, *e = text + len;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    if (e - s < 7 || strncmp(s, "<!--", 4) != 0 || strncmp(e - 3, "-->", 3) != 0)
        return false;
    s += 4;
    e -= 3;
    while (s < e && *s == ' ')
        s++;
    while (e > s && e[-1] == ' ')
        e--;
    return e - s == 3 && strncasecmp(s, "toc", 3) == 0;
}

static bool is_marker(const nc_node *n)
{
    if (n->kind == NC_PARA && n->first) {
        nc_buf t = NC_BUF_INIT;
        nc_node_text(n, &t);
        bool yes = strcmp(nc_buf_cstr(&t), "[TOC]") == 0 || strcmp(nc_buf_cstr(&t), "[toc]") == 0;
        nc_buf_free(&t);
        return yes;
    }
    if (n->kind == NC_RAW_BLOCK && n->format && strcmp(n->format, "html") == 0)
        return nc_is_toc_comment(n->text, n->len);
    return false;
}

static bool has_title(const nc_doc *doc)
{
    nc_meta *t = nc_meta_get(nc_doc_meta(doc), "title");
    return t && nc_meta_truthy(t);
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    static const char *const keys[] = {"depth", NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "toc", args, keys, diag) != 0)
        return -1;
    int depth = opt && opt->toc_depth ? opt->toc_depth : 0;
    if (!depth) {
        nc_meta *md = nc_meta_get(nc_doc_meta(doc), "toc-depth");
        if (md && (md->kind == NC_META_NUMBER || md->kind == NC_META_STRING) && md->str) {
            int d = (int)strtol(md->str, NULL, 10);
            if (d >= 1 && d <= 6)
                depth = d;
        }
    }
    if (!depth)
        depth = 3;
    int rc = nc_fargs_int(&a, 0, 1, 6, &depth, diag);
    nc_fargs_free(&a);
    if (rc != 0)
        return -1;

    nc_node *root = nc_doc_root(doc);
    /* a toc from an earlier run (say --toc after -F toc) is replaced, not doubled */
    nc_node *old = NULL;
    for (nc_node *n = root->first; n; n = n->next)
        if (n->kind == NC_DIV && n->attr && n->attr->id && strcmp(n->attr->id, "TOC") == 0 &&
            nc_node_has_class(n, "toc")) {
            old = n;
            break;
        }

    bool marked = false;
    for (nc_node *n = root->first; n && !marked; n = n->next)
        marked = is_marker(n);
    nc_node *first = root->first;
    nc_node *title_head = !marked && !old && first && first->kind == NC_HEADER &&
                                  first->level == 1 && !has_title(doc)
                              ? first
                              : NULL;

    ctx c = {doc, depth, NULL, {{0, NULL}}, 0, 0, title_head};
    c.root = nc_node_new(doc, NC_BULLET_LIST, NULL);
    c.stack[0].level = 0;
    c.stack[0].list = c.root;
    c.top = 1;
    nc_each_section_heading(root, add, &c);

    /* with no headings there is nothing to show: the markers just go */
    nc_node *div = NULL;
    if (c.n) {
        div = nc_node_new(doc, NC_DIV, NULL);
        nc_node_set_id(doc, div, "TOC");
        nc_node_add_class(doc, div, "toc");
        nc_buf title = NC_BUF_INIT;
        nc_meta *mt = nc_meta_get(nc_doc_meta(doc), "toc-title");
        if (mt)
            nc_meta_text(mt, &title);
        else
            nc_buf_puts(&title, strncmp(nc_doc_lang(doc), "ja", 2) == 0
                                    ? "\xe7\x9b\xae\xe6\xac\xa1" /* 目次 */
                                    : "Contents");
        nc_node_set_kv(doc, div, "title", nc_buf_cstr(&title));
        nc_buf_free(&title);
        nc_node_append(div, c.root);
    }

    /* where it goes: in place of the first marker (the others go: ids are unique), else where an earlier toc
       was, else after a first level-1 heading that stands for a missing title, else on top */
    bool placed = false;
    for (nc_node *n = root->first; marked && n;) {
        nc_node *next = n->next;
        if (is_marker(n)) {
            if (div && !placed) {
                div->pos = n->pos;
                nc_node_insert_before(n, div);
            }
            nc_node_unlink(n);
            placed = true;
        }
        n = next;
    }
    if (old) {
        if (div && !placed)
            nc_node_insert_before(old, div);
        nc_node_unlink(old);
    } else if (div && !placed) {
        if (title_head)
            nc_node_insert_after(title_head, div);
        else
            nc_node_prepend(root, div);
    }
    return 0;
}

const nc_filter nc_filter_toc = {
    "toc",
    "a table of contents of linked headings at [TOC] or <!-- toc -->, else after the title",
    "depth (1-6; default --toc-depth, metadata toc-depth, else 3): toc=2 or toc:depth=2",
    false,
    run,
};
