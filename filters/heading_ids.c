/* heading_ids.c — the heading-ids filter: GitHub-style, unique identifiers on headings that
 * keep non-Latin letters (Japanese headings get Japanese ids). Existing ids are kept. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../src/internal.h"

/* Open-addressing set of the ids given so far (the document's own memory is not used for
 * it, so that it goes away with the run). Each id also keeps the first suffix worth trying
 * after it: the set only grows, so a suffix once found taken stays taken, and a heading text
 * used n times costs n probes, not n squared. */
typedef struct slot {
    char *id;
    unsigned next;
} slot;

typedef struct idset {
    slot *slots;
    size_t cap, n;
} idset;

static slot *idset_find(const idset *set, const char *s)
{
    if (!set->cap)
        return NULL;
    for (size_t i = nc_str_hash(s) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slots[i].id)
            return NULL;
        if (strcmp(set->slots[i].id, s) == 0)
            return &set->slots[i];
    }
}

static void idset_add(idset *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        slot *slots = nc_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i].id)
                continue;
            size_t j = nc_str_hash(set->slots[i].id) & (cap - 1);
            while (slots[j].id)
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = nc_str_hash(s) & (set->cap - 1);
    while (set->slots[j].id) {
        if (strcmp(set->slots[j].id, s) == 0)
            return;
        j = (j + 1) & (set->cap - 1);
    }
    set->slots[j].id = nc_xstrdup(s);
    set->slots[j].next = 1;
    set->n++;
}

static void idset_free(idset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].id);
    free(set->slots);
}

/* GitHub's rule: lower-case; keep letters, marks, numbers, connector punctuation, spaces and
 * hyphens; then spaces become hyphens. */
static void slugify(const char *s, size_t len, nc_buf *out)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = nc_utf8_decode(s + i, len - i, &cp);
        i += k ? (size_t)k : 1;
        if (cp == ' ') {
            nc_buf_putc(out, '-');
            continue;
        }
        if (cp == '-') {
            nc_buf_putc(out, '-');
            continue;
        }
        switch (utf8proc_category(cp)) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
        case UTF8PROC_CATEGORY_PC:
            nc_utf8_encode(out, utf8proc_tolower(cp));
            break;
        default:
            break;
        }
    }
}

static bool has_id(const nc_node *n)
{
    return n->attr && n->attr->id && *n->attr->id;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    if (args && *args) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter heading-ids takes no arguments");
        return -1;
    }
    /* one walk: ids given in the source are taken first, so that generated ones avoid them,
       and the headings that need one are listed; a heading's own text is not searched for
       more headings (a note in it may hold some: they keep none, as they always have) */
    idset used = {0};
    nc_node **heads = NULL, *in_head = NULL;
    size_t nheads = 0, cap = 0;
    nc_node *root = nc_doc_root(doc);
    for (nc_node *n = root; n;) {
        if (has_id(n)) {
            idset_add(&used, n->attr->id);
        } else if (n->kind == NC_HEADER && !in_head) {
            if (nheads == cap) {
                cap = cap ? cap * 2 : 64;
                heads = nc_xrealloc(heads, cap * sizeof *heads);
            }
            heads[nheads++] = n;
            in_head = n;
        }
        if (n->first) {
            n = n->first;
            continue;
        }
        for (;;) {
            if (n == in_head)
                in_head = NULL;
            if (n == root) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
        }
    }
    nc_buf text = NC_BUF_INIT, slug = NC_BUF_INIT;
    for (size_t i = 0; i < nheads; i++) {
        nc_node *n = heads[i];
        nc_buf_clear(&text);
        nc_buf_clear(&slug);
        nc_node_text(n, &text);
        slugify(nc_buf_cstr(&text), text.len, &slug);
        if (slug.len == 0)
            nc_buf_puts(&slug, "section");
        slot *base = idset_find(&used, nc_buf_cstr(&slug));
        if (base) {
            size_t len = slug.len;
            unsigned k = base->next;
            for (;; k++) {
                nc_buf_truncate(&slug, len);
                nc_buf_printf(&slug, "-%u", k);
                if (!idset_find(&used, nc_buf_cstr(&slug)))
                    break;
            }
            base->next = k + 1; /* before adding, which may move the table */
        }
        idset_add(&used, nc_buf_cstr(&slug));
        nc_node_set_id(doc, n, nc_buf_cstr(&slug));
    }
    free(heads);
    nc_buf_free(&text);
    nc_buf_free(&slug);
    idset_free(&used);
    return 0;
}

const nc_filter nc_filter_heading_ids = {
    "heading-ids",
    "give headings unique GitHub-style ids that keep Japanese text (on by default)",
    "",
    true,
    run,
};
