/* test_font.c — unit tests for the TrueType reader and the fontconfig lookup: coverage, widths,
 * names, collections, missing families, and corrupt files that must fail without crashing.
 * Needs fonts-ipaexfont and fonts-dejavu; exits 77 (skip) without them. */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "util.h"
#include "internal.h"
#include "writer/pdf/font.h"

static char tmpdir[] = "/tmp/test_font.XXXXXX";

static bool installed(const char *family)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, (char *)NULL);
    FcFontSet *set = FcFontList(NULL, pat, os);
    bool yes = set && set->nfont > 0;
    if (set)
        FcFontSetDestroy(set);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return yes;
}

/* Finds and loads a face; NULL (with a failed check) when either step fails. */
static nc_font *open_font(const char *family, const char *lang, bool bold, bool italic,
                          bool mono)
{
    nc_diag *d = nc_diag_new();
    char *path = NULL;
    int index = -1;
    nc_font *f = NULL;
    int rc = nc_font_find(family, lang, bold, italic, mono, &path, &index, d);
    CHECK(rc == 0 && path);
    if (rc == 0)
        f = nc_font_load(path, index, d);
    CHECK(f != NULL);
    if (nc_diag_size(d))
        fprintf(stderr, "  %s\n", last_message(d));
    free(path);
    nc_diag_free(d);
    return f;
}

static void test_ipaex(void)
{
    nc_font *f = open_font("IPAexMincho", "ja", false, false, false);
    if (!f)
        return;
    CHECK_STR(nc_font_family(f), "IPAexMincho");
    CHECK_STR(nc_font_psname(f), "IPAexMincho");
    CHECK(nc_font_glyph(f, 0x3042) != 0); /* あ */
    CHECK(nc_font_glyph(f, 0x6f22) != 0); /* 漢 */
    CHECK(nc_font_glyph(f, 'A') != 0);
    CHECK(nc_font_glyph(f, 0x1f600) == 0);
    CHECK(nc_font_glyph(f, 0x10ffff) == 0);
    CHECK(nc_font_glyph(f, 0x110000) == 0);
    unsigned em = nc_font_units_per_em(f);
    CHECK(nc_font_advance(f, nc_font_glyph(f, 0x3042)) == em);
    CHECK(nc_font_width(f, 0x3042, 10.5) == 10.5);
    CHECK(nc_font_width(f, 0x30a2, 12) == 12); /* ア */
    CHECK(nc_font_width(f, 0x3002, 10) == 10); /* 。 */
    CHECK(nc_font_width(f, 0x1f600, 10) == 0);
    CHECK(nc_font_width(f, 'A', 10) > 0 && nc_font_width(f, 'A', 10) < 10);
    CHECK(nc_font_ascent(f) > 0 && nc_font_ascent(f) <= (int)em);
    CHECK(nc_font_descent(f) < 0);
    CHECK(nc_font_cap_height(f) > 0 && nc_font_cap_height(f) < nc_font_ascent(f));
    CHECK(!nc_font_is_fixed_pitch(f));
    CHECK(nc_font_num_glyphs(f) > 10000);
    CHECK(nc_font_advance(f, 65535) == 0 || nc_font_num_glyphs(f) == 65536);
    int bb[4];
    nc_font_bbox(f, bb);
    CHECK(bb[0] < bb[2] && bb[1] < 0 && bb[3] > 0);
    size_t len = 0;
    CHECK(nc_font_table(f, "glyf", &len) != NULL && len > 1000000);
    CHECK(nc_font_table(f, "loca", &len) != NULL && len > 0);
    CHECK(nc_font_table(f, "CFF ", &len) == NULL && len == 0);
    CHECK(nc_font_table(f, "gly", &len) == NULL);
    CHECK(nc_font_index(f) == 0);
    nc_font_free(f);

    /* fontconfig's family comparison ignores case and spaces; so do we. */
    f = open_font("ipaex gothic", "ja", true, false, false);
    if (f) {
        CHECK_STR(nc_font_family(f), "IPAexGothic");
        nc_font_free(f);
    }
}

static void test_dejavu(void)
{
    nc_font *f = open_font("DejaVu Sans", "en", false, false, false);
    if (f) {
        CHECK_STR(nc_font_family(f), "DejaVu Sans");
        CHECK_STR(nc_font_psname(f), "DejaVuSans");
        CHECK(nc_font_glyph(f, 'A') != 0);
        CHECK(nc_font_glyph(f, 0xe9) != 0); /* é */
        CHECK(nc_font_glyph(f, 0x3042) == 0);
        /* DejaVu Sans 2.37 does draw the emoticons block (U+1F600..1F64F): a format 12 cmap. */
        CHECK(nc_font_glyph(f, 0x1f600) != 0);
        CHECK(nc_font_glyph(f, 0x1f680) == 0);
        CHECK(nc_font_width(f, 0x3042, 10) == 0);
        CHECK(!nc_font_is_fixed_pitch(f));
        CHECK(nc_font_width(f, 'i', 10) < nc_font_width(f, 'W', 10));
        CHECK(nc_font_units_per_em(f) == 2048);
        CHECK(strstr(nc_font_path(f), "DejaVuSans.ttf") != NULL);
        nc_font_free(f);
    }

    f = open_font("DejaVu Sans Mono", "en", false, false, true);
    if (f) {
        CHECK_STR(nc_font_family(f), "DejaVu Sans Mono");
        CHECK(nc_font_is_fixed_pitch(f));
        CHECK(nc_font_width(f, 'i', 10) == nc_font_width(f, 'W', 10));
        CHECK(nc_font_width(f, ' ', 10) == nc_font_width(f, 'm', 10));
        nc_font_free(f);
    }
    f = open_font("DejaVu Sans Mono", "en", true, false, true);
    if (f) {
        CHECK(strstr(nc_font_path(f), "DejaVuSansMono-Bold.ttf") != NULL);
        CHECK(nc_font_is_fixed_pitch(f));
        nc_font_free(f);
    }
    f = open_font("DejaVu Serif", "en", true, true, false);
    if (f) {
        CHECK(strstr(nc_font_path(f), "DejaVuSerif-BoldItalic.ttf") != NULL);
        CHECK_STR(nc_font_family(f), "DejaVu Serif");
        nc_font_free(f);
    }
    f = open_font("DejaVu Serif", "en", false, true, false);
    if (f) {
        CHECK(strstr(nc_font_path(f), "DejaVuSerif-Italic.ttf") != NULL);
        nc_font_free(f);
    }
}

static void test_defaults(void)
{
    /* No family: the language and the style choose. */
    nc_font *f = open_font(NULL, "ja", false, false, false);
    if (f) {
        CHECK(nc_font_glyph(f, 0x3042) != 0);
        CHECK(nc_font_glyph(f, 0x6f22) != 0);
        nc_font_free(f);
    }
    f = open_font(NULL, "en", false, false, true);
    if (f) {
        CHECK(nc_font_is_fixed_pitch(f));
        nc_font_free(f);
    }
}

static void missing(const char *family, const char *want)
{
    if (installed(family))
        return;
    nc_diag *d = nc_diag_new();
    char *path = (char *)"untouched";
    int index = 5;
    CHECK(nc_font_find(family, "ja", false, false, false, &path, &index, d) == -1);
    CHECK(path == NULL && index == 0);
    CHECK(nc_diag_count(d, NC_DIAG_ERROR) == 1);
    CHECK_STR(last_message(d), want);
    nc_diag_free(d);
}

static void test_missing(void)
{
    missing("IPAexNoSuchMincho",
            "font 'IPAexNoSuchMincho' is not installed (install the Debian package "
            "fonts-ipaexfont)");
    missing("IPAPMincho",
            "font 'IPAPMincho' is not installed (install the Debian package fonts-ipafont)");
    missing("DejaVu Nonexistent",
            "font 'DejaVu Nonexistent' is not installed (install the Debian package "
            "fonts-dejavu)");
    missing("Liberation Serif",
            "font 'Liberation Serif' is not installed (install the Debian package "
            "fonts-liberation2)");
    missing("Noto Serif CJK JP",
            "font 'Noto Serif CJK JP' is not installed (install the Debian package "
            "fonts-noto-cjk)");
    missing("Zapfino Nowhere",
            "font 'Zapfino Nowhere' is not installed (install a package that provides it)");
}

/* ---- fonts built here, to reach the paths real fonts do not ---- */

static void p16(nc_buf *b, unsigned v)
{
    nc_buf_putc(b, (int)(v >> 8 & 0xff));
    nc_buf_putc(b, (int)(v & 0xff));
}

static void p32(nc_buf *b, uint32_t v)
{
    p16(b, v >> 16);
    p16(b, v & 0xffff);
}

static uint32_t g32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void s32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

typedef struct tbl {
    const char *tag;
    nc_buf b;
} tbl;

/* An sfnt around the given tables, 4-byte aligned. */
static void sfnt(nc_buf *out, tbl *t, size_t n)
{
    p32(out, 0x00010000);
    p16(out, (unsigned)n);
    p16(out, 0);
    p16(out, 0);
    p16(out, 0);
    uint32_t off = 12 + 16 * (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        nc_buf_put(out, t[i].tag, 4);
        p32(out, 0);
        p32(out, off);
        p32(out, (uint32_t)t[i].b.len);
        off += ((uint32_t)t[i].b.len + 3) & ~3u;
    }
    for (size_t i = 0; i < n; i++) {
        nc_buf_put(out, t[i].b.ptr, t[i].b.len);
        while (out->len % 4)
            nc_buf_putc(out, 0);
        nc_buf_free(&t[i].b);
    }
}

enum { NG = 100, GID_H = 3 };

/* A font of NG glyphs: cmap format 12 from groups (start, end, gid triples), a name table with
 * the given UTF-16BE family, no OS/2 (so cap height comes from the glyph of 'H'). */
static void synth(nc_buf *out, const uint32_t *groups, size_t ngroups, const unsigned char *fam,
                  size_t famlen)
{
    tbl t[8] = {{"head", NC_BUF_INIT}, {"maxp", NC_BUF_INIT}, {"hhea", NC_BUF_INIT},
                {"hmtx", NC_BUF_INIT}, {"loca", NC_BUF_INIT}, {"glyf", NC_BUF_INIT},
                {"cmap", NC_BUF_INIT}, {"name", NC_BUF_INIT}};
    nc_buf *b = &t[0].b;
    p32(b, 0x00010000);
    p32(b, 0);
    p32(b, 0);
    p32(b, 0x5f0f3cf5);
    p16(b, 0);
    p16(b, 1000);
    for (int i = 0; i < 16; i++)
        nc_buf_putc(b, 0);
    p16(b, (unsigned)-50 & 0xffff); /* bbox */
    p16(b, (unsigned)-200 & 0xffff);
    p16(b, 900);
    p16(b, 800);
    p16(b, 0);
    p16(b, 8);
    p16(b, 2);
    p16(b, 0); /* short loca */
    p16(b, 0);
    b = &t[1].b;
    p32(b, 0x00005000);
    p16(b, NG);
    b = &t[2].b;
    p32(b, 0x00010000);
    p16(b, 800);
    p16(b, (unsigned)-200 & 0xffff);
    for (int i = 0; i < 26; i++)
        nc_buf_putc(b, 0);
    p16(b, 10); /* numberOfHMetrics: the rest repeat the last advance */
    b = &t[3].b;
    for (int g = 0; g < 10; g++) {
        p16(b, 100 * (unsigned)g);
        p16(b, 0);
    }
    b = &t[4].b;
    for (int g = 0; g <= NG; g++)
        p16(b, g <= GID_H ? 0 : 6); /* only glyph GID_H has data: 12 bytes */
    b = &t[5].b;
    p16(b, 1);
    p16(b, 0);
    p16(b, 0);
    p16(b, 500);
    p16(b, 700); /* yMax: the cap height */
    p16(b, 0);
    b = &t[6].b;
    p16(b, 0);
    p16(b, 1);
    p16(b, 3);
    p16(b, 10);
    p32(b, 12);
    p16(b, 12);
    p16(b, 0);
    p32(b, 16 + 12 * (uint32_t)ngroups);
    p32(b, 0);
    p32(b, (uint32_t)ngroups);
    for (size_t i = 0; i < 3 * ngroups; i++)
        p32(b, groups[i]);
    b = &t[7].b;
    p16(b, 0);
    p16(b, 1);
    p16(b, 18);
    p16(b, 3);
    p16(b, 1);
    p16(b, 0x409);
    p16(b, 1);
    p16(b, (unsigned)famlen);
    p16(b, 0);
    nc_buf_put(b, fam, famlen);
    sfnt(out, t, 8);
}

static void test_synth(void)
{
    /* 日本 U+1F600 (a surrogate pair), then a lone high surrogate */
    static const unsigned char fam[] = {0x65, 0xe5, 0x67, 0x2c, 0xd8, 0x3d, 0xde,
                                        0x00, 0x00, 0x41, 0xd8, 0x00};
    uint32_t groups[] = {'A', 'Z', 1, 0x1f600, 0x1f64f, 30, 0x20000, 0x20010, 90,
                         0x10fff0, 0x10ffff, 200};
    nc_buf b = NC_BUF_INIT;
    synth(&b, groups, 4, fam, sizeof fam);
    nc_diag *d = nc_diag_new();
    nc_font *f = nc_font_load_mem(b.ptr, b.len, "synth.ttf", 0, d);
    CHECK(f != NULL);
    if (f) {
        CHECK_STR(nc_font_family(f), "日本😀A\xef\xbf\xbd");
        CHECK_STR(nc_font_psname(f), "日本😀A\xef\xbf\xbd"); /* no name 6: the family */
        CHECK(nc_font_glyph(f, 'A') == 1 && nc_font_glyph(f, 'H') == GID_H + 5);
        CHECK(nc_font_glyph(f, 'a') == 0);
        CHECK(nc_font_glyph(f, 0x1f600) == 30 && nc_font_glyph(f, 0x1f601) == 31);
        CHECK(nc_font_glyph(f, 0x1f645) == 99 && nc_font_glyph(f, 0x1f646) == 0); /* >= NG */
        CHECK(nc_font_glyph(f, 0x1f650) == 0);
        CHECK(nc_font_glyph(f, 0x1f5ff) == 0);
        CHECK(nc_font_glyph(f, 0x20009) == 99 && nc_font_glyph(f, 0x2000a) == 0); /* >= NG */
        CHECK(nc_font_glyph(f, 0x10ffff) == 0); /* its group starts past the glyphs */
        CHECK(nc_font_advance(f, 1) == 100 && nc_font_advance(f, 9) == 900);
        CHECK(nc_font_advance(f, 50) == 900 && nc_font_advance(f, NG) == 0);
        CHECK(nc_font_width(f, 'B', 10) == 2.0);
        CHECK(nc_font_ascent(f) == 800 && nc_font_descent(f) == -200);
        CHECK(nc_font_cap_height(f) == 560); /* glyph 8 of 'H' is empty: 0.7 ascent */
        nc_font_free(f);
    }

    /* Map 'H' to the one glyph with an outline: cap height from its bounding box. */
    uint32_t h[] = {'H', 'H', GID_H};
    nc_buf_clear(&b);
    synth(&b, h, 1, fam, 4);
    f = nc_font_load_mem(b.ptr, b.len, "synth.ttf", 0, d);
    CHECK(f != NULL);
    if (f) {
        CHECK(nc_font_cap_height(f) == 700);
        CHECK_STR(nc_font_family(f), "日本");
        nc_font_free(f);
    }
    CHECK(nc_diag_count(d, NC_DIAG_ERROR) == 0);

    /* Overlapping ranges made to burn time are refused, quickly. */
    uint32_t *many = nc_xcalloc(3 * 1000, sizeof *many);
    for (int i = 0; i < 1000; i++) {
        many[3 * i + 1] = 0x10ffff;
        many[3 * i + 2] = 1;
    }
    nc_buf_clear(&b);
    synth(&b, many, 1000, fam, 4);
    CHECK(nc_font_load_mem(b.ptr, b.len, "many.ttf", 0, d) == NULL);
    CHECK_STR(last_message(d), "the cmap format 12 subtable is corrupt");
    CHECK_STR(nc_diag_get(d, nc_diag_size(d) - 1)->file, "many.ttf");
    free(many);
    uint32_t backwards[] = {'Z', 'A', 1};
    nc_buf_clear(&b);
    synth(&b, backwards, 1, fam, 4);
    CHECK(nc_font_load_mem(b.ptr, b.len, "bw.ttf", 0, d) == NULL);
    nc_buf_free(&b);
    nc_diag_free(d);
}

/* A collection of two real fonts: table offsets count from the start of the file. */
static void test_ttc(const char *a, const char *b)
{
    size_t la, lb;
    unsigned char *pa = slurp(a, &la), *pb = slurp(b, &lb);
    CHECK(pa && pb);
    if (!pa || !pb) {
        free(pa);
        free(pb);
        return;
    }
    nc_buf ttc = NC_BUF_INIT;
    uint32_t oa = 20, ob = 20 + (uint32_t)((la + 3) & ~(size_t)3);
    p32(&ttc, 0x74746366); /* ttcf */
    p32(&ttc, 0x00010000);
    p32(&ttc, 2);
    p32(&ttc, oa);
    p32(&ttc, ob);
    unsigned char *fonts[2] = {pa, pb};
    size_t lens[2] = {la, lb};
    uint32_t offs[2] = {oa, ob};
    for (int k = 0; k < 2; k++) {
        unsigned nt = (unsigned)(fonts[k][4] << 8 | fonts[k][5]);
        for (unsigned i = 0; i < nt; i++) {
            unsigned char *r = fonts[k] + 12 + 16 * i + 8;
            s32(r, g32(r) + offs[k]);
        }
        nc_buf_put(&ttc, fonts[k], lens[k]);
        while (ttc.len % 4)
            nc_buf_putc(&ttc, 0);
    }
    char path[64];
    snprintf(path, sizeof path, "%s/two.ttc", tmpdir);
    spit(path, ttc.ptr, ttc.len);
    nc_diag *d = nc_diag_new();
    nc_font *f0 = nc_font_load(path, 0, d), *f1 = nc_font_load(path, 1, d);
    CHECK(f0 && f1);
    if (f0 && f1) {
        CHECK_STR(nc_font_family(f0), "DejaVu Sans Mono");
        CHECK_STR(nc_font_family(f1), "DejaVu Sans");
        CHECK(nc_font_index(f1) == 1);
        CHECK(nc_font_is_fixed_pitch(f0) && !nc_font_is_fixed_pitch(f1));
        CHECK(nc_font_glyph(f1, 'A') != 0);
    }
    nc_font_free(f0);
    nc_font_free(f1);
    CHECK(nc_font_load(path, 2, d) == NULL);
    CHECK_STR(last_message(d), "font 2 asked for, but the collection has 2");
    CHECK(nc_font_load(path, -1, d) == NULL);
    CHECK(nc_font_load(a, 1, d) == NULL);
    CHECK_STR(last_message(d), "font 1 asked for, but the file holds one font");
    nc_diag_free(d);
    unlink(path);
    nc_buf_free(&ttc);
    free(pa);
    free(pb);
}

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* Everything a caller may ask of a font that loaded, so that ASan sees any stray read. */
static void exercise(const nc_font *f)
{
    for (uint32_t cp = 0; cp < 0x10000; cp += 7)
        nc_font_advance(f, nc_font_glyph(f, cp));
    for (uint32_t cp = 0x10000; cp < 0x110000; cp += 997)
        nc_font_width(f, cp, 10);
    static const char *tags[] = {"head", "hhea", "glyf", "loca", "cmap", "name", "OS/2", "post"};
    size_t len;
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
        const unsigned char *p = nc_font_table(f, tags[i], &len);
        if (p && len)
            (void)(p[0] + p[len - 1]);
    }
    CHECK(strlen(nc_font_family(f)) + strlen(nc_font_psname(f)) < 100000);
}

static void test_corrupt(const char *path)
{
    size_t len;
    unsigned char *orig = slurp(path, &len);
    CHECK(orig != NULL && len > 1000);
    if (!orig)
        return;
    nc_diag *d = nc_diag_new();
    char tpath[64];
    snprintf(tpath, sizeof tpath, "%s/cut.ttf", tmpdir);

    /* Truncated anywhere before the end of the last table: an error, never a crash. */
    size_t end = 0;
    unsigned nt = (unsigned)(orig[4] << 8 | orig[5]);
    for (unsigned i = 0; i < nt; i++) {
        size_t e = (size_t)g32(orig + 12 + 16 * i + 8) + g32(orig + 12 + 16 * i + 12);
        if (e > end)
            end = e;
    }
    size_t cuts[] = {0, 1, 4, 11, 12, 13, 27, 28, 100, 1000, len / 4, len / 2, end - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        spit(tpath, orig, cuts[i]);
        size_t before = nc_diag_count(d, NC_DIAG_ERROR);
        nc_font *f = nc_font_load(tpath, 0, d);
        CHECK(f == NULL && nc_diag_count(d, NC_DIAG_ERROR) == before + 1);
        nc_font_free(f);
    }

    /* Random bytes, with and without a TrueType tag in front. */
    unsigned char junk[4096];
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (unsigned char)rnd();
        if (k == 1)
            s32(junk, 0x00010000);
        if (k == 2)
            s32(junk, 0x74746366);
        spit(tpath, junk, sizeof junk);
        nc_font *f = nc_font_load(tpath, 0, d);
        CHECK(f == NULL);
        nc_font_free(f);
    }
    unlink(tpath);
    CHECK(nc_font_load(tpath, 0, d) == NULL); /* gone */
    CHECK(nc_font_load(tmpdir, 0, d) == NULL); /* a folder */

    /* Targeted damage: each must be refused. */
    unsigned char *m = nc_xmalloc(len);
    size_t head = 0, hhea = 0, cmap = 0;
    for (unsigned i = 0; i < nt; i++) {
        const unsigned char *r = orig + 12 + 16 * i;
        if (memcmp(r, "head", 4) == 0)
            head = g32(r + 8);
        if (memcmp(r, "hhea", 4) == 0)
            hhea = g32(r + 8);
        if (memcmp(r, "cmap", 4) == 0)
            cmap = g32(r + 8);
    }
    CHECK(head && hhea && cmap);
    for (int k = 0; k < 8; k++) {
        memcpy(m, orig, len);
        switch (k) {
        case 0: s32(m + head + 12, 0); break;                /* magic */
        case 1: m[head + 18] = m[head + 19] = 0; break;      /* unitsPerEm */
        case 2: m[hhea + 34] = m[hhea + 35] = 0; break;      /* numberOfHMetrics */
        case 3: s32(m + 12 + 8, 0xfffffff0); break;          /* a table's offset */
        case 4: s32(m + 12 + 12, 0x7fffffff); break;         /* a table's length */
        case 5: m[4] = m[5] = 0xff; break;                   /* numTables */
        case 6: s32(m, 0x4f54544f); break;                   /* OTTO: CFF */
        case 7:                                              /* every cmap subtable */
            for (unsigned i = 0; i < (unsigned)(m[cmap + 2] << 8 | m[cmap + 3]); i++)
                s32(m + cmap + 4 + 8 * i + 4, 0xfffffff0);
            break;
        }
        nc_font *f = nc_font_load_mem(m, len, "damaged.ttf", 0, d);
        CHECK(f == NULL);
        nc_font_free(f);
    }
    CHECK(strstr(last_message(d), "Unicode cmap") != NULL);

    /* Random damage to random bytes of the tables we parse: load or fail, never crash. */
    int loaded = 0;
    for (int k = 0; k < 400; k++) {
        memcpy(m, orig, len);
        int hits = 1 + (int)(rnd() % 16);
        for (int i = 0; i < hits; i++) {
            size_t at;
            if (k % 2) { /* the directory and the small tables near the front */
                at = rnd() % (len < 4096 ? len : 4096);
            } else {
                const unsigned char *r = orig + 12 + 16 * (rnd() % nt);
                size_t tl = g32(r + 12);
                size_t span = tl > 64 && rnd() % 2 ? tl : tl < 64 ? tl + 1 : 64;
                at = g32(r + 8) + rnd() % span;
                if (at >= len)
                    at = len - 1;
            }
            m[at] = (unsigned char)(rnd() % 4 ? rnd() : (rnd() % 2 ? 0xff : 0));
        }
        nc_font *f = nc_font_load_mem(m, len, "fuzz.ttf", 0, d);
        if (f) {
            loaded++;
            exercise(f);
            nc_font_free(f);
        }
    }
    printf("  damaged fonts: %d of 400 still loaded\n", loaded);
    CHECK(nc_font_load_mem(m, 0, "empty.ttf", 0, d) == NULL);
    free(m);
    free(orig);
    nc_diag_free(d);
}

int main(void)
{
    need_pdf_libs();
    if (!FcInit() || !installed("IPAexMincho") || !installed("DejaVu Sans") ||
        !installed("DejaVu Sans Mono")) {
        printf("SKIP: fonts-ipaexfont or fonts-dejavu is not installed\n");
        return 77;
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_ipaex();
    test_dejavu();
    test_defaults();
    test_missing();
    test_synth();

    char *mono = NULL, *sans = NULL;
    int i1, i2;
    nc_diag *d = nc_diag_new();
    if (nc_font_find("DejaVu Sans Mono", NULL, false, false, true, &mono, &i1, d) == 0 &&
        nc_font_find("DejaVu Sans", NULL, false, false, false, &sans, &i2, d) == 0) {
        test_ttc(mono, sans);
        test_corrupt(mono);
    } else {
        CHECK(!"DejaVu Sans / Mono not found");
    }
    free(mono);
    free(sans);
    nc_diag_free(d);
    rmdir(tmpdir);
    FcFini();
    return check_done();
}
