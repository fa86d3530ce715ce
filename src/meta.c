/* meta.c — the metadata value tree (maps, lists, strings, bools, numbers, inlines, blocks),
 * allocated in the document's arena. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

nc_meta *nc_meta_new(nc_doc *doc, nc_meta_kind kind)
{
    nc_meta *m = nc_doc_alloc(doc, sizeof *m);
    m->kind = kind;
    return m;
}

nc_meta *nc_meta_new_string(nc_doc *doc, const char *s, size_t len)
{
    nc_meta *m = nc_meta_new(doc, NC_META_STRING);
    m->str = nc_doc_strndup(doc, s, len);
    m->len = len;
    return m;
}

nc_meta *nc_meta_get(const nc_meta *map, const char *key)
{
    if (!map || map->kind != NC_META_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

nc_meta *nc_meta_lookup(const nc_meta *map, const char *path)
{
    const nc_meta *m = map;
    char key[256];
    while (m && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        m = nc_meta_get(m, key);
        path += n + (dot ? 1 : 0);
    }
    return (nc_meta *)m;
}

static void reserve(nc_doc *doc, nc_meta *m, bool keys)
{
    if (m->n < m->cap)
        return;
    size_t cap = m->cap ? m->cap * 2 : 8;
    nc_meta **items = nc_doc_alloc(doc, cap * sizeof *items);
    if (m->n)
        memcpy(items, m->items, m->n * sizeof *items);
    m->items = items;
    if (keys) {
        const char **k = nc_doc_alloc(doc, cap * sizeof *k);
        if (m->n)
            memcpy(k, m->keys, m->n * sizeof *k);
        m->keys = k;
    }
    m->cap = cap;
}

void nc_meta_set(nc_doc *doc, nc_meta *map, const char *key, nc_meta *value)
{
    if (map->kind != NC_META_MAP)
        return;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) {
            map->items[i] = value;
            return;
        }
    reserve(doc, map, true);
    map->keys[map->n] = nc_doc_strdup(doc, key);
    map->items[map->n++] = value;
}

void nc_meta_remove(nc_meta *map, const char *key)
{
    if (!map || map->kind != NC_META_MAP)
        return;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) {
            memmove(&map->keys[i], &map->keys[i + 1], (map->n - i - 1) * sizeof *map->keys);
            memmove(&map->items[i], &map->items[i + 1], (map->n - i - 1) * sizeof *map->items);
            map->n--;
            return;
        }
}

void nc_meta_push(nc_doc *doc, nc_meta *list, nc_meta *item)
{
    if (list->kind != NC_META_LIST)
        return;
    reserve(doc, list, false);
    list->items[list->n++] = item;
}

void nc_meta_text(const nc_meta *m, nc_buf *out)
{
    if (!m)
        return;
    switch (m->kind) {
    case NC_META_STRING:
    case NC_META_NUMBER:
        nc_buf_put(out, m->str, m->len);
        break;
    case NC_META_BOOL:
        nc_buf_puts(out, m->b ? "true" : "false");
        break;
    case NC_META_INLINES:
    case NC_META_BLOCKS:
        if (m->node)
            nc_node_text(m->node, out);
        break;
    case NC_META_LIST:
        for (size_t i = 0; i < m->n; i++) {
            if (i)
                nc_buf_puts(out, ", ");
            nc_meta_text(m->items[i], out);
        }
        break;
    case NC_META_MAP:
        break;
    }
}

bool nc_meta_truthy(const nc_meta *m)
{
    if (!m)
        return false;
    switch (m->kind) {
    case NC_META_STRING:
    case NC_META_NUMBER:
        return m->len > 0;
    case NC_META_BOOL:
        return m->b;
    case NC_META_INLINES:
    case NC_META_BLOCKS:
        return m->node && m->node->first;
    case NC_META_LIST:
    case NC_META_MAP:
        return m->n > 0;
    }
    return false;
}

nc_meta *nc_meta_copy(nc_doc *doc, const nc_meta *m)
{
    if (!m)
        return NULL;
    nc_meta *c = nc_meta_new(doc, m->kind);
    c->pos = m->pos;
    c->pos.file = nc_doc_intern_path(doc, m->pos.file);
    c->num = m->num;
    c->b = m->b;
    if (m->str) {
        c->str = nc_doc_strndup(doc, m->str, m->len);
        c->len = m->len;
    }
    if (m->node)
        c->node = nc_node_copy(doc, m->node);
    for (size_t i = 0; i < m->n; i++) {
        nc_meta *v = nc_meta_copy(doc, m->items[i]);
        if (m->kind == NC_META_MAP)
            nc_meta_set(doc, c, m->keys[i], v);
        else
            nc_meta_push(doc, c, v);
    }
    return c;
}
