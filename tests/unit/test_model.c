/* test_model.c — unit tests for the core: buffers, diagnostics, nodes, the walk, attributes,
 * metadata, UTF-8 helpers, language detection, the registries and the heading-ids filter. */
#include <stdlib.h>

#include "check.h"
#include "internal.h"

static nc_node *add(nc_doc *doc, nc_node *parent, nc_kind kind, const char *text)
{
    nc_pos pos = {"t.md", 1, 1};
    nc_node *n = nc_node_new(doc, kind, &pos);
    if (text)
        nc_node_set_text(doc, n, text, strlen(text));
    nc_node_append(parent, n);
    return n;
}

static void test_buf(void)
{
    nc_buf b = NC_BUF_INIT;
    CHECK_STR(nc_buf_cstr(&b), "");
    nc_buf_puts(&b, "abc");
    nc_buf_putc(&b, 'd');
    nc_buf_printf(&b, "%d-%s", 42, "x");
    CHECK_STR(b.ptr, "abcd42-x");
    CHECK(b.len == 8);
    for (int i = 0; i < 10000; i++)
        nc_buf_printf(&b, "%04d", i % 10000);
    CHECK(b.len == 8 + 40000);
    nc_buf_truncate(&b, 3);
    CHECK_STR(b.ptr, "abc");
    size_t len;
    char *p = nc_buf_detach(&b, &len);
    CHECK(len == 3 && b.ptr == NULL);
    free(p);
    nc_buf_free(&b);
}

/* The arena hands out zeroed, aligned memory past block boundaries, for odd string sizes and
 * for allocations bigger than a block. */
static void test_arena(void)
{
    nc_doc *doc = nc_doc_new();
    bool zero = true, aligned = true, kept = true;
    const char *strs[3000];
    for (int i = 0; i < 3000; i++) {
        char s[40];
        int n = snprintf(s, sizeof s, "s%d%.*s", i, i % 23, "xxxxxxxxxxxxxxxxxxxxxxxxx");
        strs[i] = nc_doc_strndup(doc, s, (size_t)n);
        size_t size = i % 61 == 0 ? 100000 + (size_t)i : 1 + (size_t)i % 300;
        unsigned char *p = nc_doc_alloc(doc, size);
        for (size_t k = 0; k < size; k++)
            zero &= p[k] == 0;
        aligned &= (uintptr_t)p % _Alignof(max_align_t) == 0;
        memset(p, 0xAB, size);
    }
    for (int i = 0; i < 3000; i++) {
        char s[40];
        snprintf(s, sizeof s, "s%d%.*s", i, i % 23, "xxxxxxxxxxxxxxxxxxxxxxxxx");
        kept &= strcmp(strs[i], s) == 0;
    }
    CHECK(zero);
    CHECK(aligned);
    CHECK(kept);
    CHECK_STR(nc_doc_strndup(doc, "", 0), "");
    nc_doc_free(doc);
}

static int seen;
static void count(const nc_diag_entry *e, void *user)
{
    (void)e;
    (void)user;
    seen++;
}

static void test_diag(void)
{
    nc_diag *d = nc_diag_new();
    nc_diag_set_callback(d, count, NULL);
    nc_pos pos = {"note.md", 12, 5};
    nc_diag_report(d, NC_DIAG_ERROR, &pos, "bad %s", "thing");
    nc_diag_report(d, NC_DIAG_WARNING | NC_DIAG_VERBOSE, NULL, "quiet");
    CHECK(seen == 2);
    CHECK(nc_diag_count(d, NC_DIAG_ERROR) == 1);
    CHECK(nc_diag_count(d, NC_DIAG_WARNING) == 1);
    nc_buf b = NC_BUF_INIT;
    nc_diag_format(nc_diag_get(d, 0), &b);
    CHECK_STR(b.ptr, "note.md:12:5: error: bad thing");
    nc_buf_clear(&b);
    nc_diag_format(nc_diag_get(d, 1), &b);
    CHECK_STR(b.ptr, "warning: quiet");
    CHECK(nc_diag_get(d, 1)->verbose);
    nc_buf_free(&b);
    nc_diag_free(d);
}

static void test_tree_and_walk(void)
{
    nc_doc *doc = nc_doc_new();
    nc_node *root = nc_doc_root(doc);
    nc_node *para = add(doc, root, NC_PARA, NULL);
    add(doc, para, NC_STR, "Hello");
    add(doc, para, NC_SPACE, NULL);
    nc_node *em = add(doc, para, NC_EMPH, NULL);
    add(doc, em, NC_STR, "world");
    nc_node *hr = add(doc, root, NC_HORIZONTAL_RULE, NULL);
    nc_node *empty = add(doc, root, NC_PARA, NULL);

    nc_buf trace = NC_BUF_INIT;
    nc_iter it;
    nc_iter_init(&it, root);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE)
        nc_buf_printf(&trace, "%c%s ", ev == NC_EV_ENTER ? '+' : '-',
                      nc_kind_name(nc_iter_node(&it)->kind));
    CHECK_STR(trace.ptr, "+Pandoc +Para +Str +Space +Emph +Str -Emph -Para +HorizontalRule "
                         "+Para -Para -Pandoc ");

    /* unlinking the current node with a reset goes on after it */
    nc_iter_init(&it, root);
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (n->kind == NC_SPACE) {
            nc_node *prev = n->prev;
            nc_node_unlink(n);
            nc_iter_reset(&it, prev, NC_EV_ENTER);
            nc_iter_reset(&it, prev, NC_EV_EXIT);
        }
    }
    nc_buf_clear(&trace);
    nc_node_text(para, &trace);
    CHECK_STR(trace.ptr, "Helloworld");

    nc_node_insert_before(hr, empty);
    CHECK(root->first->next == empty && empty->next == hr && root->last == hr);
    nc_node_insert_after(hr, empty);
    CHECK(root->last == empty && hr->next == empty);
    nc_node_unlink(hr);
    CHECK(para->next == empty && empty->prev == para);

    nc_node *copy = nc_node_copy(doc, para);
    nc_buf_clear(&trace);
    nc_node_text(copy, &trace);
    CHECK_STR(trace.ptr, "Helloworld");
    CHECK(copy->parent == NULL && copy->first->parent == copy);

    /* a deep tree is copied and walked without recursion */
    nc_node *deep = nc_node_new(doc, NC_BLOCK_QUOTE, NULL), *cur = deep;
    for (int i = 0; i < 100000; i++)
        cur = add(doc, cur, NC_BLOCK_QUOTE, NULL);
    nc_node *dcopy = nc_node_copy(doc, deep);
    size_t depth = 0;
    for (nc_node *n = dcopy; n; n = n->first)
        depth++;
    CHECK(depth == 100001);

    nc_node_set_id(doc, para, "intro");
    nc_node_add_class(doc, para, "a");
    nc_node_add_class(doc, para, "b");
    nc_node_set_kv(doc, para, "k", "v1");
    nc_node_set_kv(doc, para, "k", "v2");
    CHECK_STR(para->attr->id, "intro");
    CHECK(nc_node_has_class(para, "b") && !nc_node_has_class(para, "c"));
    CHECK_STR(nc_node_get_kv(para, "k"), "v2");
    CHECK(para->attr->nkv == 1);

    nc_buf_free(&trace);
    nc_doc_free(doc);
}

static void test_meta(void)
{
    nc_doc *doc = nc_doc_new();
    nc_meta *m = nc_doc_meta(doc);
    nc_meta *author = nc_meta_new(doc, NC_META_MAP);
    nc_meta_set(doc, author, "name", nc_meta_new_string(doc, "Ann", 3));
    nc_meta_set(doc, m, "author", author);
    nc_meta *tags = nc_meta_new(doc, NC_META_LIST);
    for (int i = 0; i < 20; i++)
        nc_meta_push(doc, tags, nc_meta_new_string(doc, i % 2 ? "b" : "a", 1));
    nc_meta_set(doc, m, "tags", tags);
    CHECK_STR(nc_meta_lookup(m, "author.name")->str, "Ann");
    CHECK(nc_meta_lookup(m, "author.none") == NULL);
    CHECK(tags->n == 20);
    nc_buf b = NC_BUF_INIT;
    nc_meta *two = nc_meta_new(doc, NC_META_LIST);
    nc_meta_push(doc, two, nc_meta_new_string(doc, "x", 1));
    nc_meta_push(doc, two, nc_meta_new_string(doc, "y", 1));
    nc_meta_text(two, &b);
    CHECK_STR(b.ptr, "x, y");
    CHECK(nc_meta_truthy(two) && !nc_meta_truthy(nc_meta_new(doc, NC_META_LIST)));
    nc_meta *copy = nc_meta_copy(doc, m);
    nc_meta_remove(m, "author");
    CHECK(nc_meta_get(m, "author") == NULL && nc_meta_get(copy, "author") != NULL);
    nc_buf_free(&b);
    nc_doc_free(doc);
}

static void test_utf8_and_lang(void)
{
    int32_t cp;
    CHECK(nc_utf8_decode("\xe3\x81\x82", 3, &cp) == 3 && cp == 0x3042);
    CHECK(nc_utf8_decode("\xe3\x81", 2, &cp) == 0 && cp == 0xFFFD);
    CHECK(nc_utf8_decode("\xc0\xaf", 2, &cp) == 0);       /* overlong */
    CHECK(nc_utf8_decode("\xed\xa0\x80", 3, &cp) == 0);   /* surrogate */
    CHECK(nc_utf8_decode("\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600);
    nc_buf b = NC_BUF_INIT;
    nc_utf8_encode(&b, 0x1F600);
    nc_utf8_encode(&b, 0x3042);
    CHECK_STR(b.ptr, "\xf0\x9f\x98\x80\xe3\x81\x82");
    nc_buf_free(&b);

    nc_doc *doc = nc_doc_new();
    nc_node *p = add(doc, nc_doc_root(doc), NC_PARA, NULL);
    add(doc, p, NC_STR, "AWS DevDay Tokyo の二日目です。サーバーレスを中心に見ていきます。");
    CHECK_STR(nc_doc_lang(doc), "ja");
    nc_meta_set(doc, nc_doc_meta(doc), "lang", nc_meta_new_string(doc, "fr", 2));
    CHECK_STR(nc_doc_lang(doc), "fr");
    nc_doc_free(doc);
    doc = nc_doc_new();
    p = add(doc, nc_doc_root(doc), NC_PARA, NULL);
    add(doc, p, NC_STR, "Mostly English text with one word 東京.");
    CHECK_STR(nc_doc_lang(doc), "en");
    nc_doc_free(doc);
}

static void test_registry_and_ids(void)
{
    CHECK(nc_writer_find("html") != NULL);
    CHECK(nc_writer_for_path("out/x.HTML") == nc_writer_find("html"));
    CHECK(nc_writer_for_path("x.md") == NULL);
    CHECK(nc_reader_for_path("a/b.md") == nc_reader_find("markdown"));
    CHECK(nc_writer_find("nope") == NULL);

    nc_diag *d = nc_diag_new();
    nc_chain *c = nc_chain_new();
    CHECK(nc_chain_add(c, "no-such-filter=1", d) == -1);
    CHECK(strstr(nc_diag_get(d, 0)->message, "heading-ids") != NULL);
    CHECK(strstr(nc_diag_get(d, 0)->message, "no-such-filter") != NULL);

    nc_doc *doc = nc_doc_new();
    const char *titles[] = {"Hello, World!", "Hello World", "hello-world", "10:00〜10:45 サーバーレスの未来",
                            "", "Ünïcödé Ｆｕｌｌ", "section"};
    nc_node *h[7];
    for (int i = 0; i < 7; i++) {
        h[i] = add(doc, nc_doc_root(doc), NC_HEADER, NULL);
        h[i]->level = 2;
        if (*titles[i])
            add(doc, h[i], NC_STR, titles[i]);
    }
    nc_node_set_id(doc, h[6], "hello-world-2");
    nc_options o;
    nc_options_init(&o);
    CHECK(nc_chain_run(c, doc, &o, d) == 0);
    CHECK_STR(h[0]->attr->id, "hello-world");
    CHECK_STR(h[1]->attr->id, "hello-world-1");
    CHECK_STR(h[2]->attr->id, "hello-world-3");
    CHECK_STR(h[3]->attr->id, "10001045-サーバーレスの未来");
    CHECK_STR(h[4]->attr->id, "section");
    CHECK_STR(h[5]->attr->id, "ünïcödé-ｆｕｌｌ");
    CHECK_STR(h[6]->attr->id, "hello-world-2");
    nc_doc_free(doc);

    /* a text used again and again: each use takes the first free suffix, skipping ids given in
       the source and ids another text made */
    doc = nc_doc_new();
    const char *again[] = {"A", "A", "A-1", "A", "A", "A-1"};
    nc_node *g[6];
    for (int i = 0; i < 6; i++) {
        g[i] = add(doc, nc_doc_root(doc), NC_HEADER, NULL);
        add(doc, g[i], NC_STR, again[i]);
    }
    nc_node *given = add(doc, nc_doc_root(doc), NC_PARA, NULL);
    nc_node_set_id(doc, given, "a-3");
    CHECK(nc_chain_run(c, doc, &o, d) == 0);
    CHECK_STR(g[0]->attr->id, "a");
    CHECK_STR(g[1]->attr->id, "a-1");
    CHECK_STR(g[2]->attr->id, "a-1-1");
    CHECK_STR(g[3]->attr->id, "a-2");
    CHECK_STR(g[4]->attr->id, "a-4");
    CHECK_STR(g[5]->attr->id, "a-1-2");
    nc_doc_free(doc);

    /* disabled, the default filter does not run */
    CHECK(nc_chain_disable(c, "heading-ids", d) == 0);
    doc = nc_doc_new();
    nc_node *x = add(doc, nc_doc_root(doc), NC_HEADER, NULL);
    add(doc, x, NC_STR, "x");
    CHECK(nc_chain_run(c, doc, &o, d) == 0);
    CHECK(x->attr == NULL);
    nc_doc_free(doc);
    nc_chain_free(c);
    nc_diag_free(d);
}

int main(void)
{
    test_buf();
    test_arena();
    test_diag();
    test_tree_and_walk();
    test_meta();
    test_utf8_and_lang();
    test_registry_and_ids();
    return check_done();
}
