/* test_bigmem.c — huge-page regions and the arena's reserved block: memory handed out before,
 * inside and past a reservation stays intact, and a JSON input big enough to get the reserved
 * arena (and mapped values) reads back to the same JSON as a small one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static void regions(void)
{
    CHECK(nc_big_map(4096) == NULL); /* under a huge page: the caller's malloc does better */
    size_t size = (size_t)5 * 1024 * 1024 + 123;
    unsigned char *p = nc_big_map(size);
    if (!p) {
        printf("no huge-page regions on this system: mapping checks skipped\n");
        return;
    }
    CHECK((uintptr_t)p % (2u * 1024 * 1024) == 0);
    for (size_t i = 0; i < size; i += 4096)
        p[i] = (unsigned char)(i >> 12);
    p[size - 1] = 0xA5;
    size_t bad = 0;
    for (size_t i = 0; i < size; i += 4096)
        bad += p[i] != (unsigned char)(i >> 12);
    CHECK(bad == 0);
    CHECK(p[size - 1] == 0xA5);
    nc_big_unmap(p, size);
}

/* Strings taken before, within and after a 3 MB reservation keep their bytes. */
static void arena(void)
{
    nc_doc *doc = nc_doc_new();
    enum { N = 60000 };
    const char **s = malloc(N * sizeof *s);
    char tmp[64];
    for (int i = 0; i < N; i++) {
        if (i == 100)
            nc_doc_reserve(doc, (size_t)3 * 1024 * 1024);
        int k = snprintf(tmp, sizeof tmp, "%d:%0*d", i, 20 + i % 30, i);
        s[i] = nc_doc_strndup(doc, tmp, (size_t)k);
        nc_node *n = nc_node_new(doc, NC_STR, NULL);
        nc_node_set_text(doc, n, s[i], (size_t)k);
        nc_node_append(nc_doc_root(doc), n);
    }
    int bad = 0, i = 0;
    for (nc_node *n = nc_doc_root(doc)->first; n; n = n->next, i++) {
        int k = snprintf(tmp, sizeof tmp, "%d:%0*d", i, 20 + i % 30, i);
        bad += strcmp(s[i], tmp) != 0 || n->len != (size_t)k || strcmp(n->text, tmp) != 0;
    }
    CHECK(i == N);
    CHECK(bad == 0);
    free(s);
    nc_doc_free(doc);
}

static void json_of(const char *data, size_t len, const char *reader, nc_buf *out)
{
    nc_options opt;
    nc_options_init(&opt);
    nc_doc *doc = nc_doc_new();
    nc_diag *diag = nc_diag_new();
    CHECK(nc_reader_find(reader)->read(doc, data, len, "t", &opt, diag) == 0);
    CHECK(nc_writer_find("json")->render(doc, &opt, out, diag) == 0);
    nc_diag_free(diag);
    nc_doc_free(doc);
}

/* 3,000 copies of a note: about 2 MB of JSON, over the size where the reader maps. */
static void json_round_trip(void)
{
    static const char note[] =
        "# 見出し {#h}\n\n本文の *強調* と **太字**、`code` と [リンク](https://example.com \"t\").\n"
        "\n- [ ] 項目\n- [x] 二つ目[^1]\n\n[^1]: 注。\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n";
    nc_buf md = NC_BUF_INIT, j1 = NC_BUF_INIT, j2 = NC_BUF_INIT;
    for (int i = 0; i < 3000; i++)
        nc_buf_put(&md, note, sizeof note - 1);
    json_of(md.ptr, md.len, "markdown", &j1);
    CHECK(j1.len > (size_t)2 * 1024 * 1024);
    json_of(j1.ptr, j1.len, "json", &j2);
    CHECK(j1.len == j2.len && memcmp(j1.ptr, j2.ptr, j1.len) == 0);
    nc_buf_free(&md);
    nc_buf_free(&j1);
    nc_buf_free(&j2);
}

int main(void)
{
    regions();
    arena();
    json_round_trip();
    return check_done();
}
