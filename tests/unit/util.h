/* util.h — small helpers the unit tests share: reading and writing whole files, the last
 * diagnostic, the n-th node of a kind, the typesetter's libraries. */
#ifndef NC_TEST_UTIL_H
#define NC_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "noteconv/noteconv.h"
#include "writer/pdf/libs.h"

/* The whole file, NUL-terminated (malloc'd), or NULL. */
static inline unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *p = nc_xmalloc((size_t)(n > 0 ? n : 0) + 1);
    *len = fread(p, 1, (size_t)(n > 0 ? n : 0), fp);
    p[*len] = '\0';
    fclose(fp);
    return p;
}

static inline void spit(const char *path, const void *p, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(p, 1, len, fp);
        fclose(fp);
    }
}

static inline const char *last_message(const nc_diag *d)
{
    size_t n = nc_diag_size(d);
    return n ? nc_diag_get(d, n - 1)->message : "";
}

/* The typesetter's libraries are opened on first use by nc_layout_new: a test that calls below
 * it opens them first, or stops saying why. */
static inline void need_pdf_libs(void)
{
    nc_diag *d = nc_diag_new();
    if (nc_pdf_libs_open(d) != 0) {
        fprintf(stderr, "%s\n", last_message(d));
        exit(1);
    }
    nc_diag_free(d);
}

/* The n-th node (from 0) of a kind, in document order. */
static inline nc_node *nth(nc_doc *doc, nc_kind kind, int n)
{
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE)
        if (ev == NC_EV_ENTER && nc_iter_node(&it)->kind == kind && n-- == 0)
            return nc_iter_node(&it);
    return NULL;
}

#endif
