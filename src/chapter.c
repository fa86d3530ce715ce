/* chapter.c — reads one input of a book as a chapter: its blocks go into a Div of class
 * "nc-chapter" that keeps the note's own title, date and language. Prints nothing. */
#include <string.h>

#include "internal.h"

/* The note's own value of key as plain text, onto the chapter Div. */
static void keep(nc_doc *doc, nc_node *div, const nc_meta *own, const char *key)
{
    const nc_meta *m = nc_meta_get(own, key);
    if (!m)
        return;
    nc_buf t = NC_BUF_INIT;
    nc_meta_text(m, &t);
    if (t.len)
        nc_node_set_kv(doc, div, key, nc_buf_cstr(&t));
    nc_buf_free(&t);
}

int nc_read_chapter(const nc_reader *reader, nc_doc *doc, const char *data, size_t len,
                    const char *path, const nc_options *opt, nc_diag *diag)
{
    nc_node *root = nc_doc_root(doc);
    nc_node *last = root->last;
    nc_meta *meta = nc_doc_meta(doc);
    /* The reader lets keys already set win, which would hide every note's title but the
     * first; so it reads into an empty map, and the book's keys are put back over it. */
    nc_meta book = *meta;
    meta->n = meta->cap = 0;
    meta->keys = NULL;
    meta->items = NULL;
    int rc = reader->read(doc, data, len, path, opt, diag);
    nc_meta own = *meta;
    *meta = book;
    for (size_t i = 0; i < own.n; i++)
        if (!nc_meta_get(meta, own.keys[i]))
            nc_meta_set(doc, meta, own.keys[i], own.items[i]);
    if (rc != 0)
        return -1;

    nc_pos pos = {nc_doc_intern_path(doc, path ? path : "-"), 1, 1};
    nc_node *div = nc_node_new(doc, NC_DIV, &pos);
    nc_node_add_class(doc, div, "nc-chapter");
    nc_node_set_kv(doc, div, "source", pos.file);
    keep(doc, div, &own, "title");
    keep(doc, div, &own, "subtitle");
    keep(doc, div, &own, "date");
    keep(doc, div, &own, "lang");
    for (nc_node *b = last ? last->next : root->first, *next; b; b = next) {
        next = b->next;
        nc_node_unlink(b);
        nc_node_append(div, b);
    }
    nc_node_append(root, div);
    return 0;
}
