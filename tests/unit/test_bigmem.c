/* test_bigmem.c — huge-page regions and the arena's reserved block: memory handed out before,
 * inside and past a reservation stays intact, and a JSON input big enough to get the reserved
 * arena (and mapped values) reads back to the same JSON as a small one. A buffer growing past
 * NC_BIG_BUF keeps its bytes; libharu's pool (pdfmem.c) keeps every block's bytes through
 * frees and reuse, aligned as malloc's. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"
#include "writer/pdf/pdfmem.h"

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

/* Written a byte at a time, a buffer crosses NC_BIG_BUF (onto huge pages) with its bytes. */
static void big_buffer(void)
{
    nc_buf b = NC_BUF_INIT;
    size_t n = NC_BIG_BUF + NC_BIG_BUF / 2 + 7;
    for (size_t i = 0; i < n; i++)
        nc_buf_putc(&b, (char)('a' + i % 23));
    CHECK(b.len == n);
    CHECK(b.cap > n);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += b.ptr[i] != (char)('a' + i % 23);
    CHECK(bad == 0);
    CHECK(b.ptr[n] == '\0');
    nc_buf_free(&b);
    char *p = nc_big_alloc(NC_BIG_BUF);
    memset(p, 7, NC_BIG_BUF);
    CHECK(p[NC_BIG_BUF - 1] == 7);
    free(p);
}

static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* 200,000 blocks of random sizes (small and large), freed and taken again at random: each
 * keeps the pattern it was given, starts 16-byte aligned, and no two overlap. */
static void pdf_pool(void)
{
    enum { N = 20000, ROUNDS = 10 };
    unsigned char **blk = calloc(N, sizeof *blk);
    unsigned *len = calloc(N, sizeof *len);
    unsigned char *tag = calloc(N, 1);
    size_t misaligned = 0, bad = 0, taken = 0;
    nc_pdfmem_begin();
    nc_pdfmem_begin(); /* nested: only the outer end releases */
    nc_pdfmem_end();
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            if (blk[i] && next() % 2 == 0)
                continue;
            if (blk[i]) {
                for (unsigned k = 0; k < len[i]; k++)
                    bad += blk[i][k] != tag[i];
                nc_pdfmem_free(blk[i]);
            }
            unsigned u = next();
            len[i] = u % 16 == 0 ? 4000 + u % 9000 : u % 300; /* 0 .. 12999 bytes */
            blk[i] = nc_pdfmem_alloc(len[i]);
            taken++;
            misaligned += (uintptr_t)blk[i] % 16 != 0;
            tag[i] = (unsigned char)(u >> 4);
            memset(blk[i], tag[i], len[i]);
        }
    }
    for (int i = 0; i < N; i++) {
        for (unsigned k = 0; k < len[i]; k++)
            bad += blk[i][k] != tag[i];
        nc_pdfmem_free(blk[i]);
    }
    nc_pdfmem_end();
    CHECK(taken >= N * ROUNDS / 2);
    CHECK(misaligned == 0);
    CHECK(bad == 0);
    /* outside a pool: malloc's memory, freed by the same call */
    void *p = nc_pdfmem_alloc(100);
    CHECK(p && (uintptr_t)p % 16 == 0);
    nc_pdfmem_free(p);
    nc_pdfmem_free(NULL);
    free(blk);
    free(len);
    free(tag);
}

int main(void)
{
    regions();
    big_buffer();
    pdf_pool();
    arena();
    json_round_trip();
    return check_done();
}
