/* node.c — the document: one arena, the node tree, attributes and the ENTER/EXIT walk.
 * Everything a document owns is freed with nc_doc_free; nothing here reports or prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Blocks are small and come from malloc's heap: the reader frees cmark-gfm's tree a top-level
 * block at a time while it converts, and blocks this size are carved out of that freed memory,
 * where bigger ones would be fresh pages from mmap (a page fault each: more time than building
 * the nodes). Nothing in a block is handed out twice. */
#define ARENA_BLOCK ((size_t)64 * 1024)

typedef struct block {
    struct block *prev;
    size_t used, size;
    bool mapped; /* from nc_big_map (nc_doc_reserve), not malloc */
    max_align_t data[];
} block;

struct nc_doc {
    block *arena;
    nc_node *root;
    nc_meta *meta;
    const char *path;
    const char **paths; /* interned input names */
    size_t npaths;
    const char **deps; /* files the conversion read, in the order reported (arena strings) */
    size_t ndeps, capdeps;
};

static block *new_block(size_t size)
{
    size_t total = sizeof(block) + size;
    /* an impossible size fails in malloc and is reported as out of memory */
    block *b = nc_xmalloc(total < size ? SIZE_MAX : total);
    b->size = size;
    b->mapped = false;
    return b;
}

/* A reader that knows a big document is coming takes its room in one piece: on huge pages
 * that is a few page faults instead of one per 4 KB. Without huge pages the arena goes on as
 * it was, in malloc's blocks. */
void nc_doc_reserve(nc_doc *doc, size_t size)
{
    block *b = doc->arena;
    if ((b && b->size - b->used >= size) || size > SIZE_MAX - sizeof(block))
        return;
    block *nb = nc_big_map(sizeof(block) + size);
    if (!nb)
        return;
    nb->prev = b;
    nb->used = 0;
    nb->size = size;
    nb->mapped = true;
    doc->arena = nb;
}

static void *alloc_slow(nc_doc *doc, size_t size)
{
    block *b = doc->arena;
    if (b && size > ARENA_BLOCK / 4) {
        /* a big one-off allocation gets a block of its own behind the current one, which
           keeps filling */
        block *nb = new_block(size);
        nb->prev = b->prev;
        b->prev = nb;
        nb->used = size;
        return nb->data;
    }
    block *nb = NULL;
    /* a reservation outgrown: more of the same size on huge pages, not 64 KB malloc blocks */
    if (b && b->mapped && (nb = nc_big_map(sizeof(block) + b->size)) != NULL) {
        nb->size = b->size;
        nb->mapped = true;
    } else {
        nb = new_block(size > ARENA_BLOCK ? size : ARENA_BLOCK);
    }
    nb->prev = b;
    doc->arena = nb;
    nb->used = size;
    return nb->data;
}

static inline void *take(nc_doc *doc, size_t size, size_t align)
{
    block *b = doc->arena;
    if (b) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->size && b->size - at >= size) {
            b->used = at + size;
            return (char *)b->data + at;
        }
    }
    return alloc_slow(doc, size);
}

/* Zeroed memory: callers rely on it. Nodes and strings, most of an arena, are written in full
 * by their makers instead. */
void *nc_doc_alloc(nc_doc *doc, size_t size)
{
    void *p = take(doc, size, _Alignof(max_align_t));
    memset(p, 0, size);
    return p;
}

/* Strings need no alignment: packing them saves up to 15 bytes each. */
const char *nc_doc_strndup(nc_doc *doc, const char *s, size_t len)
{
    char *p = take(doc, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *nc_doc_strdup(nc_doc *doc, const char *s)
{
    return s ? nc_doc_strndup(doc, s, strlen(s)) : NULL;
}

nc_doc *nc_doc_new(void)
{
    nc_doc *doc = nc_xcalloc(1, sizeof *doc);
    doc->root = nc_node_new(doc, NC_DOCUMENT, NULL);
    doc->meta = nc_meta_new(doc, NC_META_MAP);
    return doc;
}

void nc_doc_free(nc_doc *doc)
{
    if (!doc)
        return;
    block *b = doc->arena;
    while (b) {
        block *p = b->prev;
        if (b->mapped)
            nc_big_unmap(b, sizeof(block) + b->size);
        else
            free(b);
        b = p;
    }
    free(doc->paths);
    free(doc->deps);
    free(doc);
}

nc_node *nc_doc_root(const nc_doc *doc)
{
    return doc->root;
}

nc_meta *nc_doc_meta(const nc_doc *doc)
{
    return doc->meta;
}

const char *nc_doc_path(const nc_doc *doc)
{
    return doc->path;
}

const char *nc_doc_intern_path(nc_doc *doc, const char *path)
{
    if (!path)
        return NULL;
    for (size_t i = 0; i < doc->npaths; i++)
        if (strcmp(doc->paths[i], path) == 0)
            return doc->paths[i];
    doc->paths = nc_xrealloc(doc->paths, (doc->npaths + 1) * sizeof *doc->paths);
    return doc->paths[doc->npaths++] = nc_doc_strdup(doc, path);
}

void nc_doc_set_path(nc_doc *doc, const char *path)
{
    doc->path = nc_doc_intern_path(doc, path);
}

/* Not deduplicated: a caller that renders several formats from one document takes the entries
 * each writer added by their indices, so a file two writers read is listed for both. */
void nc_doc_add_dependency(nc_doc *doc, const char *path)
{
    if (!path || !*path || strcmp(path, "-") == 0)
        return;
    if (doc->ndeps == doc->capdeps) {
        doc->capdeps = doc->capdeps ? doc->capdeps * 2 : 16;
        doc->deps = nc_xrealloc(doc->deps, doc->capdeps * sizeof *doc->deps);
    }
    doc->deps[doc->ndeps++] = nc_doc_strdup(doc, path);
}

size_t nc_doc_dependency_count(const nc_doc *doc)
{
    return doc->ndeps;
}

const char *nc_doc_dependency_at(const nc_doc *doc, size_t i)
{
    return i < doc->ndeps ? doc->deps[i] : NULL;
}

/* ---- kinds ---- */

static const char *const kind_names[NC_KIND_COUNT] = {
    [NC_NONE] = "None",
    [NC_DOCUMENT] = "Pandoc",
    [NC_PLAIN] = "Plain",
    [NC_PARA] = "Para",
    [NC_LINE_BLOCK] = "LineBlock",
    [NC_LINE] = "Line",
    [NC_CODE_BLOCK] = "CodeBlock",
    [NC_RAW_BLOCK] = "RawBlock",
    [NC_BLOCK_QUOTE] = "BlockQuote",
    [NC_ORDERED_LIST] = "OrderedList",
    [NC_BULLET_LIST] = "BulletList",
    [NC_LIST_ITEM] = "ListItem",
    [NC_DEFINITION_LIST] = "DefinitionList",
    [NC_DEF_ITEM] = "DefinitionItem",
    [NC_DEF_TERM] = "DefinitionTerm",
    [NC_DEF_DATA] = "Definition",
    [NC_HEADER] = "Header",
    [NC_HORIZONTAL_RULE] = "HorizontalRule",
    [NC_TABLE] = "Table",
    [NC_TABLE_HEAD] = "TableHead",
    [NC_TABLE_BODY] = "TableBody",
    [NC_TABLE_FOOT] = "TableFoot",
    [NC_TABLE_ROW] = "Row",
    [NC_TABLE_CELL] = "Cell",
    [NC_CAPTION] = "Caption",
    [NC_FIGURE] = "Figure",
    [NC_DIV] = "Div",
    [NC_STR] = "Str",
    [NC_EMPH] = "Emph",
    [NC_UNDERLINE] = "Underline",
    [NC_STRONG] = "Strong",
    [NC_STRIKEOUT] = "Strikeout",
    [NC_SUPERSCRIPT] = "Superscript",
    [NC_SUBSCRIPT] = "Subscript",
    [NC_SMALL_CAPS] = "SmallCaps",
    [NC_QUOTED] = "Quoted",
    [NC_CITE] = "Cite",
    [NC_CODE] = "Code",
    [NC_SPACE] = "Space",
    [NC_SOFT_BREAK] = "SoftBreak",
    [NC_LINE_BREAK] = "LineBreak",
    [NC_MATH] = "Math",
    [NC_RAW_INLINE] = "RawInline",
    [NC_LINK] = "Link",
    [NC_IMAGE] = "Image",
    [NC_NOTE] = "Note",
    [NC_SPAN] = "Span",
};

const char *nc_kind_name(nc_kind kind)
{
    return (unsigned)kind < NC_KIND_COUNT ? kind_names[kind] : "None";
}

bool nc_kind_is_block(nc_kind k)
{
    return k >= NC_DOCUMENT && k <= NC_DIV;
}

bool nc_kind_is_inline(nc_kind k)
{
    return k >= NC_STR && k < NC_KIND_COUNT;
}

bool nc_kind_is_leaf(nc_kind k)
{
    switch (k) {
    case NC_CODE_BLOCK:
    case NC_RAW_BLOCK:
    case NC_HORIZONTAL_RULE:
    case NC_STR:
    case NC_CODE:
    case NC_SPACE:
    case NC_SOFT_BREAK:
    case NC_LINE_BREAK:
    case NC_MATH:
    case NC_RAW_INLINE:
        return true;
    default:
        return false;
    }
}

/* ---- nodes ---- */

nc_node *nc_node_new(nc_doc *doc, nc_kind kind, const nc_pos *pos)
{
    nc_node *n = take(doc, sizeof *n, _Alignof(nc_node));
    *n = (nc_node){.kind = kind, .rowspan = 1, .colspan = 1};
    if (pos)
        n->pos = *pos;
    if (kind == NC_ORDERED_LIST)
        n->start = 1;
    return n;
}

void nc_node_set_text(nc_doc *doc, nc_node *n, const char *text, size_t len)
{
    n->text = nc_doc_strndup(doc, text, len);
    n->len = len;
}

void nc_node_unlink(nc_node *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else if (n->parent)
        n->parent->first = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else if (n->parent)
        n->parent->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}

void nc_node_append(nc_node *parent, nc_node *child)
{
    nc_node_unlink(child);
    child->parent = parent;
    child->prev = parent->last;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

void nc_node_prepend(nc_node *parent, nc_node *child)
{
    nc_node_unlink(child);
    child->parent = parent;
    child->next = parent->first;
    if (parent->first)
        parent->first->prev = child;
    else
        parent->last = child;
    parent->first = child;
}

void nc_node_insert_before(nc_node *ref, nc_node *n)
{
    nc_node_unlink(n);
    n->parent = ref->parent;
    n->next = ref;
    n->prev = ref->prev;
    if (ref->prev)
        ref->prev->next = n;
    else if (ref->parent)
        ref->parent->first = n;
    ref->prev = n;
}

void nc_node_insert_after(nc_node *ref, nc_node *n)
{
    nc_node_unlink(n);
    n->parent = ref->parent;
    n->prev = ref;
    n->next = ref->next;
    if (ref->next)
        ref->next->prev = n;
    else if (ref->parent)
        ref->parent->last = n;
    ref->next = n;
}

void nc_node_move_children(nc_node *from, nc_node *to)
{
    while (from->first)
        nc_node_append(to, from->first);
}

static nc_attr *copy_attr(nc_doc *doc, const nc_attr *a)
{
    if (!a)
        return NULL;
    nc_attr *c = nc_doc_alloc(doc, sizeof *c);
    c->id = nc_doc_strdup(doc, a->id);
    if (a->nclasses) {
        c->classes = nc_doc_alloc(doc, a->nclasses * sizeof(char *));
        for (size_t i = 0; i < a->nclasses; i++)
            c->classes[i] = nc_doc_strdup(doc, a->classes[i]);
        c->nclasses = a->nclasses;
    }
    if (a->nkv) {
        c->keys = nc_doc_alloc(doc, a->nkv * sizeof(char *));
        c->values = nc_doc_alloc(doc, a->nkv * sizeof(char *));
        for (size_t i = 0; i < a->nkv; i++) {
            c->keys[i] = nc_doc_strdup(doc, a->keys[i]);
            c->values[i] = nc_doc_strdup(doc, a->values[i]);
        }
        c->nkv = a->nkv;
    }
    return c;
}

static nc_node *copy_one(nc_doc *doc, const nc_node *n)
{
    nc_node *c = nc_doc_alloc(doc, sizeof *c);
    *c = *n;
    c->parent = c->prev = c->next = c->first = c->last = NULL;
    c->attr = copy_attr(doc, n->attr);
    if (n->text)
        nc_node_set_text(doc, c, n->text, n->len);
    c->url = nc_doc_strdup(doc, n->url);
    c->title = nc_doc_strdup(doc, n->title);
    c->format = nc_doc_strdup(doc, n->format);
    c->label = nc_doc_strdup(doc, n->label);
    c->pos.file = nc_doc_intern_path(doc, n->pos.file);
    if (n->ncols) {
        c->cols = nc_doc_alloc(doc, n->ncols * sizeof *c->cols);
        memcpy(c->cols, n->cols, n->ncols * sizeof *c->cols);
    }
    return c;
}

nc_node *nc_node_copy(nc_doc *doc, const nc_node *n)
{
    /* iterative, so that deep trees do not use the stack */
    nc_node *top = copy_one(doc, n);
    const nc_node *src = n;
    nc_node *dst = top;
    if (!src->first)
        return top;
    src = src->first;
    for (;;) {
        nc_node *c = copy_one(doc, src);
        nc_node_append(dst, c);
        if (src->first) {
            src = src->first;
            dst = c;
            continue;
        }
        while (!src->next) {
            src = src->parent;
            if (src == n)
                return top;
            dst = dst->parent;
        }
        src = src->next;
    }
}

void nc_node_text(const nc_node *n, nc_buf *out)
{
    nc_iter it;
    nc_iter_init(&it, (nc_node *)n);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        const nc_node *c = nc_iter_node(&it);
        if (ev != NC_EV_ENTER)
            continue;
        switch (c->kind) {
        case NC_STR:
        case NC_CODE:
        case NC_MATH:
            nc_buf_put(out, c->text, c->len);
            break;
        case NC_SPACE:
        case NC_SOFT_BREAK:
        case NC_LINE_BREAK:
            nc_buf_putc(out, ' ');
            break;
        case NC_NOTE:
            /* a footnote's text is not part of its anchor's text */
            nc_iter_reset(&it, (nc_node *)c, NC_EV_EXIT);
            break;
        default:
            break;
        }
    }
}

/* ---- attributes ---- */

nc_attr *nc_node_attr(nc_doc *doc, nc_node *n)
{
    if (!n->attr)
        n->attr = nc_doc_alloc(doc, sizeof(nc_attr));
    return n->attr;
}

void nc_node_set_id(nc_doc *doc, nc_node *n, const char *id)
{
    nc_node_attr(doc, n)->id = nc_doc_strdup(doc, id);
}

static const char **grow(nc_doc *doc, const char **arr, size_t n)
{
    const char **a = nc_doc_alloc(doc, (n + 1) * sizeof(char *));
    if (n)
        memcpy(a, arr, n * sizeof(char *));
    return a;
}

void nc_node_add_class(nc_doc *doc, nc_node *n, const char *cls)
{
    nc_attr *a = nc_node_attr(doc, n);
    a->classes = grow(doc, a->classes, a->nclasses);
    a->classes[a->nclasses++] = nc_doc_strdup(doc, cls);
}

bool nc_node_has_class(const nc_node *n, const char *cls)
{
    if (!n->attr)
        return false;
    for (size_t i = 0; i < n->attr->nclasses; i++)
        if (strcmp(n->attr->classes[i], cls) == 0)
            return true;
    return false;
}

void nc_node_set_kv(nc_doc *doc, nc_node *n, const char *key, const char *value)
{
    nc_attr *a = nc_node_attr(doc, n);
    for (size_t i = 0; i < a->nkv; i++)
        if (strcmp(a->keys[i], key) == 0) {
            a->values[i] = nc_doc_strdup(doc, value);
            return;
        }
    a->keys = grow(doc, a->keys, a->nkv);
    a->values = grow(doc, a->values, a->nkv);
    a->keys[a->nkv] = nc_doc_strdup(doc, key);
    a->values[a->nkv++] = nc_doc_strdup(doc, value);
}

const char *nc_node_get_kv(const nc_node *n, const char *key)
{
    if (!n->attr)
        return NULL;
    for (size_t i = 0; i < n->attr->nkv; i++)
        if (strcmp(n->attr->keys[i], key) == 0)
            return n->attr->values[i];
    return NULL;
}

/* ---- the walk ---- */

void nc_iter_init(nc_iter *it, nc_node *root)
{
    it->root = root;
    it->cur = NULL;
    it->ev = NC_EV_NONE;
    it->next = root;
    it->next_ev = root ? NC_EV_ENTER : NC_EV_DONE;
}

void nc_iter_reset(nc_iter *it, nc_node *cur, nc_event ev)
{
    it->cur = cur;
    it->ev = ev;
    it->next = NULL;
    it->next_ev = NC_EV_NONE;
}

static void advance(nc_iter *it)
{
    nc_node *c = it->cur;
    if (it->ev == NC_EV_ENTER && !nc_kind_is_leaf(c->kind)) {
        if (c->first) {
            it->next = c->first;
            it->next_ev = NC_EV_ENTER;
        } else {
            it->next = c;
            it->next_ev = NC_EV_EXIT;
        }
    } else if (c == it->root) {
        it->next = NULL;
        it->next_ev = NC_EV_DONE;
    } else if (c->next) {
        it->next = c->next;
        it->next_ev = NC_EV_ENTER;
    } else if (c->parent) {
        it->next = c->parent;
        it->next_ev = NC_EV_EXIT;
    } else {
        it->next = NULL;
        it->next_ev = NC_EV_DONE;
    }
}

nc_event nc_iter_next(nc_iter *it)
{
    if (it->next_ev == NC_EV_NONE) {
        if (it->ev == NC_EV_DONE || !it->cur)
            return it->ev = NC_EV_DONE;
        advance(it);
    }
    it->cur = it->next;
    it->ev = it->next_ev;
    if (it->ev == NC_EV_DONE) {
        it->cur = NULL;
        return NC_EV_DONE;
    }
    /* compute lazily on the following call, so that the caller may change the tree */
    it->next_ev = NC_EV_NONE;
    return it->ev;
}

nc_node *nc_iter_node(const nc_iter *it)
{
    return it->cur;
}
