/* heading_ids.c — the heading-ids filter: GitHub-style, unique identifiers on headings that
 * keep non-Latin letters (Japanese headings get Japanese ids). Existing ids are kept. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../src/internal.h"

/* Open-addressing set of the ids given so far (the document's own memory is not used for
 * it, so that it goes away with the run). */
typedef struct idset {
    char **slots;
    size_t cap, n;
} idset;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    return h;
}

static bool idset_has(const idset *set, const char *s)
{
    if (!set->cap)
        return false;
    for (size_t i = hash(s) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->slots[i])
            return false;
        if (strcmp(set->slots[i], s) == 0)
            return true;
    }
}

static void idset_add(idset *set, const char *s)
{
    if (2 * (set->n + 1) > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slots = nc_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t j = hash(set->slots[i]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = hash(s) & (set->cap - 1);
    while (set->slots[j]) {
        if (strcmp(set->slots[j], s) == 0)
            return;
        j = (j + 1) & (set->cap - 1);
    }
    set->slots[j] = nc_xstrdup(s);
    set->n++;
}

static void idset_free(idset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
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

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    if (args && *args) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter heading-ids takes no arguments");
        return -1;
    }
    idset used = {0};
    nc_iter it;
    /* ids given in the source are taken first, so that generated ones avoid them */
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev == NC_EV_ENTER && n->attr && n->attr->id && *n->attr->id)
            idset_add(&used, n->attr->id);
    }
    nc_buf text = NC_BUF_INIT, slug = NC_BUF_INIT;
    nc_iter_init(&it, nc_doc_root(doc));
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER || n->kind != NC_HEADER || (n->attr && n->attr->id && *n->attr->id))
            continue;
        nc_buf_clear(&text);
        nc_buf_clear(&slug);
        nc_node_text(n, &text);
        slugify(nc_buf_cstr(&text), text.len, &slug);
        if (slug.len == 0)
            nc_buf_puts(&slug, "section");
        size_t base = slug.len;
        for (unsigned k = 1; idset_has(&used, nc_buf_cstr(&slug)); k++) {
            nc_buf_truncate(&slug, base);
            nc_buf_printf(&slug, "-%u", k);
        }
        idset_add(&used, nc_buf_cstr(&slug));
        nc_node_set_id(doc, n, nc_buf_cstr(&slug));
        /* the heading's inlines need not be walked */
        nc_iter_reset(&it, n, NC_EV_EXIT);
    }
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
