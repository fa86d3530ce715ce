/* test_zipw.c — the EPUB's ZIP writer: each entry found through the central directory, its
 * header, CRC and bytes (deflated ones inflated back), UTC DOS times, stored fallbacks. */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "writer/zipw.h"

static unsigned get16(const unsigned char *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return get16(p) | (uint32_t)get16(p + 2) << 16;
}

/* The entry called name, as its bytes (inflated); checks the local header matches the
 * directory. NULL when it is not there. */
static char *entry(const nc_buf *zip, const char *name, size_t *len, unsigned *method)
{
    const unsigned char *z = (const unsigned char *)zip->ptr;
    const unsigned char *e = z + zip->len - 22;
    CHECK(get32(e) == 0x06054b50);
    const unsigned char *c = z + get32(e + 16);
    for (unsigned i = 0; i < get16(e + 10); i++) {
        CHECK(get32(c) == 0x02014b50);
        unsigned nlen = get16(c + 28);
        const unsigned char *l = z + get32(c + 42);
        if (nlen == strlen(name) && memcmp(c + 46, name, nlen) == 0) {
            CHECK(get32(l) == 0x04034b50 && memcmp(l + 4, c + 6, 26) == 0);
            CHECK(get16(l + 28) == 0 && memcmp(l + 30, name, nlen) == 0);
            size_t clen = get32(l + 18);
            *len = get32(l + 22);
            *method = get16(l + 8);
            char *out = malloc(*len + 1);
            const unsigned char *data = l + 30 + nlen;
            if (*method == 0) {
                CHECK(clen == *len);
                memcpy(out, data, *len);
            } else {
                struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
                CHECK(libdeflate_deflate_decompress(d, data, clen, out, *len, NULL) ==
                      LIBDEFLATE_SUCCESS);
                libdeflate_free_decompressor(d);
            }
            CHECK(libdeflate_crc32(0, out, *len) == get32(l + 14));
            return out;
        }
        c += 46 + nlen;
    }
    return NULL;
}

int main(void)
{
    nc_buf out = NC_BUF_INIT;
    nc_zip z;
    nc_zip_begin(&z, &out, 1700000000); /* 2023-11-14 22:13:20 UTC */
    nc_zip_add(&z, "mimetype", "application/epub+zip", 20, true);
    char text[4000];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "<p>段落 text</p>\n"[i % 20];
    nc_zip_add(&z, "EPUB/ch001.xhtml", text, sizeof text, false);
    nc_zip_add(&z, "EPUB/empty.css", "", 0, false);
    nc_zip_add(&z, "EPUB/x", "ab", 2, false); /* deflate would not shrink it: stored */
    char *pic = nc_zip_reserve(&z, "EPUB/images/写真.png", 5);
    CHECK(pic != NULL);
    if (pic)
        memcpy(pic, "\x89PNG\r", 5);
    nc_zip_commit(&z);
    CHECK(nc_zip_finish(&z) == 0);

    CHECK(memcmp(out.ptr + 30, "mimetypeapplication/epub+zip", 28) == 0);
    CHECK(get16((unsigned char *)out.ptr + 10) == (22u << 11 | 13u << 5 | 10u));
    CHECK(get16((unsigned char *)out.ptr + 12) == ((2023u - 1980) << 9 | 11u << 5 | 14u));
    size_t len;
    unsigned method;
    char *got = entry(&out, "EPUB/ch001.xhtml", &len, &method);
    CHECK(got && len == sizeof text && method == 8 && memcmp(got, text, len) == 0);
    free(got);
    got = entry(&out, "EPUB/empty.css", &len, &method);
    CHECK(got && len == 0 && method == 0);
    free(got);
    got = entry(&out, "EPUB/x", &len, &method);
    CHECK(got && len == 2 && method == 0 && memcmp(got, "ab", 2) == 0);
    free(got);
    got = entry(&out, "EPUB/images/写真.png", &len, &method);
    CHECK(got && len == 5 && method == 0 && memcmp(got, "\x89PNG\r", 5) == 0);
    free(got);
    CHECK(entry(&out, "EPUB/none", &len, &method) == NULL);
    /* a name outside ASCII says it is UTF-8 (general purpose flag bit 11) */
    const char *u = NULL;
    for (size_t i = 30; !u && i + 12 <= out.len; i++)
        if (memcmp(out.ptr + i, "EPUB/images/", 12) == 0)
            u = out.ptr + i;
    CHECK(u && get16((const unsigned char *)u - 30 + 6) == 0x0800);
    nc_buf_free(&out);

    /* before 1980 there is no DOS date: the earliest one instead */
    nc_buf early = NC_BUF_INIT;
    nc_zip_begin(&z, &early, 0);
    nc_zip_add(&z, "a", "b", 1, true);
    CHECK(nc_zip_finish(&z) == 0);
    CHECK(get16((unsigned char *)early.ptr + 10) == 0 &&
          get16((unsigned char *)early.ptr + 12) == (1u << 5 | 1u));
    nc_buf_free(&early);
    return check_done();
}
