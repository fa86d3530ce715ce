/* shift_headings.c — the shift-headings filter: moves every heading's level by N, kept within
 * 1..6, or with "auto" so that the highest heading becomes level 1 (for notes that start at
 * ##). Headings inside quotes, lists and notes move too: the shift is the whole note's. */
#include <string.h>

#include "../src/internal.h"

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {"by", NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "shift-headings", args, keys, diag) != 0)
        return -1;
    bool autoshift = !a.vals[0] || strcmp(a.vals[0], "auto") == 0;
    int by = 0;
    int rc = autoshift ? 0 : nc_fargs_int(&a, 0, -5, 5, &by, diag);
    nc_fargs_free(&a);
    if (rc != 0)
        return -1;
    nc_node *root = nc_doc_root(doc);
    if (autoshift) {
        int top = 7;
        for (nc_node *n = root; n;) {
            if (n->kind == NC_HEADER && n->level < top)
                top = n->level;
            if (n->first && n->kind != NC_HEADER) {
                n = n->first;
                continue;
            }
            while (n && n != root && !n->next)
                n = n->parent;
            n = n && n != root ? n->next : NULL;
        }
        by = top == 7 ? 0 : 1 - top;
    }
    if (!by)
        return 0;
    for (nc_node *n = root; n;) {
        if (n->kind == NC_HEADER) {
            int lv = n->level + by;
            n->level = lv < 1 ? 1 : lv > 6 ? 6 : lv;
        }
        /* a heading's inlines hold no headings but for notes, which may */
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        n = n && n != root ? n->next : NULL;
    }
    return 0;
}

const nc_filter nc_filter_shift_headings = {
    "shift-headings",
    "move heading levels by N, kept within 1..6 (notes whose first heading is ##)",
    "by (-5..5, or auto: the highest heading becomes level 1; the default)",
    false,
    run,
};
