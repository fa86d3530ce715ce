/* test_image.c — unit tests for the PNG/JPEG loader and image URL resolution: every PNG color
 * type and depth, interlacing, alpha, JPEG gray/RGB/CMYK/progressive/EXIF, and bad files that
 * must give -1 and a warning that says why, never a crash. Images are generated here (libpng,
 * libjpeg) in a temporary folder; real corpus images are tried when ../shared is present. */
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE and size_t */
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "util.h"
#include "internal.h"
#include "writer/pdf/image.h"

static char tmpdir[] = "/tmp/test_image.XXXXXX";
static const nc_pos here = {"note.md", 3, 5};

static char *tmp(const char *name)
{
    static char path[4][512];
    static int turn;
    char *p = path[turn++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
    return p;
}

/* ---------------------------------------------------------------------------------------- */
/* Writing test images                                                                       */

typedef struct pngspec {
    unsigned w, h;
    int color, depth;
    bool interlace;
    const unsigned char *pix; /* packed rows as libpng wants them; NULL: all zero */
    const png_color *pal;
    int npal;
    const unsigned char *trns; /* palette alpha */
    int ntrns;
    const png_color_16 *key;   /* gray/RGB transparent color */
    int level;                 /* zlib level; 0: libpng's default */
} pngspec;

static size_t channels(int color)
{
    switch (color) {
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return 1;
    }
}

static void write_png(const char *path, const pngspec *s)
{
    FILE *fp = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    size_t rowbytes = (s->w * channels(s->color) * (size_t)s->depth + 7) / 8;
    unsigned char *zero = calloc(1, rowbytes);
    png_bytep *rows = malloc(s->h * sizeof *rows);
    if (setjmp(png_jmpbuf(png))) {
        CHECK(!"libpng failed writing a test image");
    } else {
        png_init_io(png, fp);
        if (s->level)
            png_set_compression_level(png, s->level);
        png_set_IHDR(png, info, s->w, s->h, s->depth, s->color,
                     s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        if (s->pal)
            png_set_PLTE(png, info, s->pal, s->npal);
        if (s->trns || s->key)
            png_set_tRNS(png, info, s->trns, s->ntrns, s->key);
        png_write_info(png, info);
        for (unsigned y = 0; y < s->h; y++)
            rows[y] = s->pix ? (png_bytep)s->pix + y * rowbytes : zero;
        png_write_image(png, rows);
        png_write_end(png, NULL);
    }
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(zero);
    fclose(fp);
}

typedef struct jpgspec {
    unsigned w, h;
    int comps; /* 1, 3, 4 */
    bool progressive, arith;
    int orientation; /* 0: no EXIF */
    const unsigned char *pix;
} jpgspec;

static void write_jpeg(const char *path, const jpgspec *s)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr err;
    ci.err = jpeg_std_error(&err);
    jpeg_create_compress(&ci);
    FILE *fp = fopen(path, "wb");
    jpeg_stdio_dest(&ci, fp);
    ci.image_width = s->w;
    ci.image_height = s->h;
    ci.input_components = s->comps;
    ci.in_color_space = s->comps == 1 ? JCS_GRAYSCALE : s->comps == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, 95, TRUE);
    if (s->progressive)
        jpeg_simple_progression(&ci);
    ci.arith_code = s->arith;
    jpeg_start_compress(&ci, TRUE);
    if (s->orientation) {
        unsigned char exif[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
                                0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1,
                                0, (unsigned char)s->orientation, 0, 0, 0, 0, 0, 0};
        jpeg_write_marker(&ci, JPEG_APP0 + 1, exif, sizeof exif);
    }
    size_t stride = (size_t)s->w * (size_t)s->comps;
    unsigned char *line = calloc(1, stride);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = s->pix ? (JSAMPROW)s->pix + ci.next_scanline * stride : line;
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    free(line);
    fclose(fp);
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The offset of a chunk's length field, or 0. */
static size_t find_chunk(const unsigned char *p, size_t n, const char *type)
{
    for (size_t off = 8; off + 12 <= n; off += 12 + get32(p + off))
        if (memcmp(p + off + 4, type, 4) == 0)
            return off;
    return 0;
}

static void fix_crc(unsigned char *p, size_t chunk)
{
    uint32_t len = get32(p + chunk);
    put32(p + chunk + 8 + len, crc32_of(p + chunk + 4, len + 4));
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                     */

/* Loads path expecting success; the image is left in img. */
static bool load_ok(const char *path, nc_image *img)
{
    nc_diag *d = nc_diag_new();
    int rc = nc_image_load(path, img, &here, d);
    if (rc != 0)
        fprintf(stderr, "unexpected failure: %s\n", last_message(d));
    bool ok = rc == 0 && nc_diag_count(d, NC_DIAG_WARNING) == 0;
    nc_diag_free(d);
    return ok;
}

/* Loads path expecting -1 and one warning, at the note's position, containing `why`. */
static void load_bad(const char *path, const char *why)
{
    nc_diag *d = nc_diag_new();
    nc_image img;
    int rc = nc_image_load(path, &img, &here, d);
    CHECK(rc == -1);
    CHECK(img.data == NULL && img.alpha == NULL);
    CHECK(nc_diag_count(d, NC_DIAG_WARNING) == 1);
    const nc_diag_entry *e = nc_diag_size(d) ? nc_diag_get(d, 0) : NULL;
    CHECK(e && e->line == 3 && e->col == 5 && e->file && strcmp(e->file, "note.md") == 0);
    if (getenv("VERBOSE"))
        fprintf(stderr, "%s\n", last_message(d));
    if (!strstr(last_message(d), why)) {
        fprintf(stderr, "%s: want \"%s\" in the warning\n", path, why);
        CHECK_STR(last_message(d), why);
    } else {
        CHECK(true);
    }
    nc_image_free(&img);
    nc_diag_free(d);
}

static void test_png_rgb(void)
{
    unsigned char pix[4 * 3 * 3];
    for (unsigned i = 0; i < sizeof pix; i++)
        pix[i] = (unsigned char)(i * 7);
    write_png(tmp("rgb.png"), &(pngspec){.w = 4, .h = 3, .color = PNG_COLOR_TYPE_RGB,
                                         .depth = 8, .pix = pix});
    nc_image img;
    CHECK(load_ok(tmp("rgb.png"), &img));
    CHECK(img.kind == NC_IMG_RAW && img.width == 4 && img.height == 3);
    CHECK(img.components == 3 && img.alpha == NULL && img.orientation == 1);
    CHECK(img.len == sizeof pix && img.data && memcmp(img.data, pix, sizeof pix) == 0);
    nc_image_free(&img);
    CHECK(img.data == NULL);
    nc_image_free(&img); /* twice is harmless */
}

static void test_png_alpha(void)
{
    unsigned char pix[3 * 2 * 4];
    for (unsigned i = 0; i < 6; i++) {
        pix[4 * i] = (unsigned char)(10 + i);
        pix[4 * i + 1] = (unsigned char)(20 + i);
        pix[4 * i + 2] = (unsigned char)(30 + i);
        pix[4 * i + 3] = (unsigned char)(i * 50);
    }
    write_png(tmp("rgba.png"), &(pngspec){.w = 3, .h = 2, .color = PNG_COLOR_TYPE_RGB_ALPHA,
                                          .depth = 8, .pix = pix});
    nc_image img;
    CHECK(load_ok(tmp("rgba.png"), &img));
    CHECK(img.components == 3 && img.len == 18 && img.alpha != NULL);
    if (img.data && img.alpha) {
        CHECK(img.data[0] == 10 && img.data[1] == 20 && img.data[2] == 30);
        CHECK(img.data[15] == 15 && img.data[16] == 25 && img.data[17] == 35);
        CHECK(img.alpha[0] == 0 && img.alpha[1] == 50 && img.alpha[5] == 250);
    }
    nc_image_free(&img);

    /* all 255: the alpha channel is dropped */
    for (unsigned i = 0; i < 6; i++)
        pix[4 * i + 3] = 255;
    write_png(tmp("opaque.png"), &(pngspec){.w = 3, .h = 2, .color = PNG_COLOR_TYPE_RGB_ALPHA,
                                            .depth = 8, .pix = pix});
    CHECK(load_ok(tmp("opaque.png"), &img));
    CHECK(img.components == 3 && img.alpha == NULL && img.len == 18);
    CHECK(img.data && img.data[3] == 11 && img.data[4] == 21 && img.data[5] == 31);
    nc_image_free(&img);

    /* gray + alpha stays gray */
    unsigned char ga[] = {0, 255, 100, 128, 200, 0, 255, 255};
    write_png(tmp("ga.png"), &(pngspec){.w = 2, .h = 2, .color = PNG_COLOR_TYPE_GRAY_ALPHA,
                                        .depth = 8, .pix = ga});
    CHECK(load_ok(tmp("ga.png"), &img));
    CHECK(img.components == 1 && img.len == 4 && img.alpha);
    CHECK(img.data && img.data[1] == 100 && img.data[2] == 200);
    CHECK(img.alpha && img.alpha[1] == 128 && img.alpha[2] == 0 && img.alpha[3] == 255);
    nc_image_free(&img);
}

static void test_png_gray(void)
{
    unsigned char g[] = {0, 64, 128, 255};
    write_png(tmp("gray.png"), &(pngspec){.w = 2, .h = 2, .color = PNG_COLOR_TYPE_GRAY,
                                          .depth = 8, .pix = g});
    nc_image img;
    CHECK(load_ok(tmp("gray.png"), &img));
    CHECK(img.components == 1 && img.alpha == NULL && img.len == 4);
    CHECK(img.data && memcmp(img.data, g, 4) == 0);
    nc_image_free(&img);

    /* 1-bit gray expands to 0 and 255 */
    unsigned char bits[] = {0xA0, 0x50}; /* rows "1010" and "0101" */
    write_png(tmp("gray1.png"), &(pngspec){.w = 4, .h = 2, .color = PNG_COLOR_TYPE_GRAY,
                                           .depth = 1, .pix = bits});
    CHECK(load_ok(tmp("gray1.png"), &img));
    CHECK(img.components == 1 && img.width == 4 && img.len == 8);
    CHECK(img.data && img.data[0] == 255 && img.data[1] == 0 && img.data[5] == 255);
    nc_image_free(&img);

    /* a tRNS color key on gray becomes real alpha */
    png_color_16 key = {.gray = 64};
    write_png(tmp("graykey.png"), &(pngspec){.w = 2, .h = 2, .color = PNG_COLOR_TYPE_GRAY,
                                             .depth = 8, .pix = g, .key = &key});
    CHECK(load_ok(tmp("graykey.png"), &img));
    CHECK(img.components == 1 && img.alpha);
    CHECK(img.alpha && img.alpha[0] == 255 && img.alpha[1] == 0 && img.alpha[2] == 255);
    nc_image_free(&img);
}

static void test_png_palette(void)
{
    png_color pal[] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
    unsigned char trns[] = {255, 0, 128};
    unsigned char idx[] = {0, 1, 2, 2, 1, 0};
    write_png(tmp("pal.png"),
              &(pngspec){.w = 3, .h = 2, .color = PNG_COLOR_TYPE_PALETTE, .depth = 8, .pix = idx,
                         .pal = pal, .npal = 3, .trns = trns, .ntrns = 3});
    nc_image img;
    CHECK(load_ok(tmp("pal.png"), &img));
    CHECK(img.components == 3 && img.width == 3 && img.height == 2 && img.alpha);
    if (img.data && img.alpha) {
        CHECK(img.data[0] == 255 && img.data[1] == 0 && img.data[2] == 0);
        CHECK(img.data[6] == 0 && img.data[7] == 0 && img.data[8] == 255);
        CHECK(img.alpha[0] == 255 && img.alpha[1] == 0 && img.alpha[2] == 128);
        CHECK(img.alpha[5] == 255);
    }
    nc_image_free(&img);

    /* without tRNS: plain RGB */
    write_png(tmp("pal2.png"), &(pngspec){.w = 3, .h = 2, .color = PNG_COLOR_TYPE_PALETTE,
                                          .depth = 8, .pix = idx, .pal = pal, .npal = 3});
    CHECK(load_ok(tmp("pal2.png"), &img));
    CHECK(img.components == 3 && img.alpha == NULL);
    CHECK(img.data && img.data[4] == 255 && img.data[3] == 0);
    nc_image_free(&img);
}

static void test_png_16bit(void)
{
    /* big-endian samples; scaled to 8 bits with rounding */
    unsigned char pix[] = {0xFF, 0xFF, 0x00, 0x00, 0x80, 0x80, /* 255, 0, 128 */
                           0x12, 0xFF, 0x01, 0x00, 0x7F, 0x7F};
    write_png(tmp("rgb16.png"), &(pngspec){.w = 2, .h = 1, .color = PNG_COLOR_TYPE_RGB,
                                           .depth = 16, .pix = pix});
    nc_image img;
    CHECK(load_ok(tmp("rgb16.png"), &img));
    CHECK(img.components == 3 && img.width == 2 && img.len == 6 && img.alpha == NULL);
    if (img.data) {
        CHECK(img.data[0] == 255 && img.data[1] == 0 && img.data[2] == 128);
        CHECK(img.data[3] == 0x13 && img.data[4] == 1 && img.data[5] == 0x7F);
    }
    nc_image_free(&img);

    unsigned char rgba16[] = {0, 0, 0xFF, 0xFF, 0, 0, 0x80, 0x00};
    write_png(tmp("rgba16.png"), &(pngspec){.w = 1, .h = 1, .color = PNG_COLOR_TYPE_RGB_ALPHA,
                                            .depth = 16, .pix = rgba16});
    CHECK(load_ok(tmp("rgba16.png"), &img));
    CHECK(img.components == 3 && img.alpha && img.alpha[0] == 128);
    nc_image_free(&img);
}

static void test_png_interlaced(void)
{
    enum { W = 37, H = 29 };
    static unsigned char pix[W * H * 3];
    for (unsigned y = 0; y < H; y++)
        for (unsigned x = 0; x < W; x++) {
            unsigned char *p = pix + (y * W + x) * 3;
            p[0] = (unsigned char)(x * 6);
            p[1] = (unsigned char)(y * 8);
            p[2] = (unsigned char)(x ^ y);
        }
    write_png(tmp("adam7.png"), &(pngspec){.w = W, .h = H, .color = PNG_COLOR_TYPE_RGB,
                                           .depth = 8, .interlace = true, .pix = pix});
    nc_image img;
    CHECK(load_ok(tmp("adam7.png"), &img));
    CHECK(img.width == W && img.height == H && img.components == 3);
    CHECK(img.len == sizeof pix && img.data && memcmp(img.data, pix, sizeof pix) == 0);
    nc_image_free(&img);
}

static void test_png_bad(void)
{
    unsigned char pix[16 * 16 * 3];
    for (unsigned i = 0; i < sizeof pix; i++)
        pix[i] = (unsigned char)(i * 31 + i / 7);
    write_png(tmp("good.png"), &(pngspec){.w = 16, .h = 16, .color = PNG_COLOR_TYPE_RGB,
                                          .depth = 8, .pix = pix});
    size_t n = 0;
    unsigned char *p = slurp(tmp("good.png"), &n);
    CHECK(p && n > 100);
    if (!p)
        return;
    size_t idat = find_chunk(p, n, "IDAT");
    CHECK(idat > 0);

    /* a damaged CRC on IDAT; a flipped byte inside IDAT (zlib notices before the CRC) */
    unsigned char *q = nc_xmalloc(n);
    memcpy(q, p, n);
    q[idat + 8 + get32(p + idat)] ^= 0x55;
    spit(tmp("badcrc.png"), q, n);
    load_bad(tmp("badcrc.png"), "corrupt PNG (IDAT: CRC error)");
    memcpy(q, p, n);
    q[idat + 8 + 10] ^= 0x55;
    spit(tmp("flip.png"), q, n);
    load_bad(tmp("flip.png"), "corrupt PNG (IDAT: ");

    /* garbage in IDAT with a good CRC: zlib rejects it */
    memcpy(q, p, n);
    memset(q + idat + 8, 0xEE, get32(q + idat));
    fix_crc(q, idat);
    spit(tmp("garbage.png"), q, n);
    load_bad(tmp("garbage.png"), "corrupt PNG");

    /* the file cut inside IDAT, and cut right after the signature */
    spit(tmp("cut.png"), p, idat + 30);
    load_bad(tmp("cut.png"), "truncated PNG");
    spit(tmp("sig.png"), p, 8);
    load_bad(tmp("sig.png"), "truncated PNG");
    spit(tmp("sig4.png"), p, 4);
    load_bad(tmp("sig4.png"), "corrupt PNG (damaged signature)");

    /* a zero width in IHDR */
    memcpy(q, p, n);
    put32(q + 16, 0);
    fix_crc(q, 8);
    spit(tmp("zero.png"), q, n);
    load_bad(tmp("zero.png"), "corrupt PNG");

    /* IHDR claims 30000x30000 (900 megapixels): refused before any pixel is read */
    memcpy(q, p, n);
    put32(q + 16, 30000);
    put32(q + 20, 30000);
    fix_crc(q, 8);
    spit(tmp("huge.png"), q, n);
    load_bad(tmp("huge.png"), "too large (30000x30000 PNG; the limit is 400 megapixels)");
    free(q);
    free(p);
}

static void test_png_large(void)
{
    /* 10000x10000 all-zero gray compresses to ~100 KB and is scaled down 2x */
    write_png(tmp("big.png"), &(pngspec){.w = 10000, .h = 10000, .color = PNG_COLOR_TYPE_GRAY,
                                         .depth = 8, .level = 9});
    nc_diag *d = nc_diag_new();
    nc_image img;
    CHECK(nc_image_load(tmp("big.png"), &img, &here, d) == 0);
    CHECK(img.width == 5000 && img.height == 5000 && img.components == 1);
    CHECK(img.len == (size_t)5000 * 5000 && img.data && img.data[12345] == 0);
    CHECK(nc_diag_count(d, NC_DIAG_WARNING) == 0 && nc_diag_count(d, NC_DIAG_NOTE) == 1);
    CHECK(strstr(last_message(d), "scaled down to 5000x5000") != NULL);
    nc_image_free(&img);
    nc_diag_free(d);
    remove(tmp("big.png"));

    /* an odd size with real content: the box filter averages, edges included */
    enum { W = 7073, H = 7073 }; /* 50.03 megapixels: factor 2, last column/row alone */
    unsigned char *pix = nc_xmalloc((size_t)W * H);
    for (size_t y = 0; y < H; y++)
        for (size_t x = 0; x < W; x++)
            pix[y * W + x] = (unsigned char)((x + y) % 2 ? 200 : 100);
    write_png(tmp("odd.png"), &(pngspec){.w = W, .h = H, .color = PNG_COLOR_TYPE_GRAY,
                                         .depth = 8, .pix = pix, .level = 1});
    free(pix);
    d = nc_diag_new();
    CHECK(nc_image_load(tmp("odd.png"), &img, &here, d) == 0);
    CHECK(img.width == 3537 && img.height == 3537);
    if (img.data) {
        CHECK(img.data[0] == 150);                           /* 2x2 checker average */
        CHECK(img.data[3536] == 150);                        /* last column: 1x2 */
        CHECK(img.data[(size_t)3537 * 3537 - 1] == 100);     /* corner: one pixel (even) */
    }
    nc_image_free(&img);
    nc_diag_free(d);
    remove(tmp("odd.png"));

    /* an interlaced image needs the whole of it in memory: refused over the limit */
    write_png(tmp("bigi.png"), &(pngspec){.w = 8000, .h = 8000, .color = PNG_COLOR_TYPE_GRAY,
                                          .depth = 1, .interlace = true, .level = 9});
    load_bad(tmp("bigi.png"), "too large (8000x8000 PNG, interlaced; the limit is 50");
    remove(tmp("bigi.png"));
}

static void test_jpeg(void)
{
    enum { W = 40, H = 30 };
    static unsigned char rgb[W * H * 3], cmyk[W * H * 4];
    for (unsigned i = 0; i < W * H; i++) {
        rgb[3 * i] = 200;
        rgb[3 * i + 1] = 100;
        rgb[3 * i + 2] = 50;
        cmyk[4 * i] = cmyk[4 * i + 1] = cmyk[4 * i + 2] = cmyk[4 * i + 3] = 255;
    }
    write_jpeg(tmp("rgb.jpg"), &(jpgspec){.w = W, .h = H, .comps = 3, .pix = rgb});
    nc_image img;
    size_t n = 0;
    unsigned char *file = slurp(tmp("rgb.jpg"), &n);
    CHECK(load_ok(tmp("rgb.jpg"), &img));
    CHECK(img.kind == NC_IMG_JPEG && img.width == W && img.height == H);
    CHECK(img.components == 3 && !img.adobe_inverted && img.alpha == NULL);
    CHECK(img.orientation == 1);
    CHECK(file && img.len == n && img.data && memcmp(img.data, file, n) == 0);
    nc_image_free(&img);

    /* the type comes from the bytes, not the name */
    spit(tmp("photo.png"), file, n);
    CHECK(load_ok(tmp("photo.png"), &img));
    CHECK(img.kind == NC_IMG_JPEG);
    nc_image_free(&img);

    write_jpeg(tmp("gray.jpg"), &(jpgspec){.w = 9, .h = 5, .comps = 1});
    CHECK(load_ok(tmp("gray.jpg"), &img));
    CHECK(img.kind == NC_IMG_JPEG && img.components == 1 && img.width == 9 && img.height == 5);
    nc_image_free(&img);

    write_jpeg(tmp("cmyk.jpg"), &(jpgspec){.w = W, .h = H, .comps = 4, .pix = cmyk});
    CHECK(load_ok(tmp("cmyk.jpg"), &img));
    CHECK(img.kind == NC_IMG_JPEG && img.components == 4 && img.adobe_inverted);
    nc_image_free(&img);

    write_jpeg(tmp("prog.jpg"),
               &(jpgspec){.w = W, .h = H, .comps = 3, .progressive = true, .pix = rgb});
    CHECK(load_ok(tmp("prog.jpg"), &img));
    CHECK(img.kind == NC_IMG_JPEG && img.width == W);
    nc_image_free(&img);

    for (int o = 1; o <= 8; o++) {
        write_jpeg(tmp("exif.jpg"), &(jpgspec){.w = 16, .h = 8, .comps = 1, .orientation = o});
        CHECK(load_ok(tmp("exif.jpg"), &img));
        CHECK(img.orientation == o);
        unsigned dw, dh;
        nc_image_display_size(&img, &dw, &dh);
        CHECK(o >= 5 ? dw == 8 && dh == 16 : dw == 16 && dh == 8);
        nc_image_free(&img);
    }

    /* arithmetic coding is decoded: DCTDecode readers need not support it */
    write_jpeg(tmp("arith.jpg"), &(jpgspec){.w = W, .h = H, .comps = 3, .arith = true,
                                            .pix = rgb});
    CHECK(load_ok(tmp("arith.jpg"), &img));
    CHECK(img.kind == NC_IMG_RAW && img.components == 3 && img.len == W * H * 3);
    CHECK(img.data && abs(img.data[0] - 200) < 4 && abs(img.data[1] - 100) < 4 &&
          abs(img.data[2] - 50) < 4);
    nc_image_free(&img);

    /* stray bytes after APP0: libjpeg copes, a simple header walk (libharu's) does not */
    write_jpeg(tmp("stray.jpg"), &(jpgspec){.w = 9, .h = 5, .comps = 1});
    size_t sn = 0;
    unsigned char *sp = slurp(tmp("stray.jpg"), &sn);
    if (sp && sn > 40 && sp[3] == 0xe0) {
        size_t at = 4 + (size_t)(sp[4] << 8 | sp[5]);
        unsigned char *st = nc_xmalloc(sn + 2);
        memcpy(st, sp, at);
        st[at] = st[at + 1] = 0;
        memcpy(st + at + 2, sp + at, sn - at);
        spit(tmp("stray.jpg"), st, sn + 2);
        free(st);
        CHECK(load_ok(tmp("stray.jpg"), &img));
        CHECK(img.kind == NC_IMG_RAW && img.width == 9 && img.height == 5);
        CHECK(img.components == 1 && img.len == 45 && img.data && img.data[44] < 3);
        nc_image_free(&img);
    } else {
        CHECK(!"stray.jpg: no APP0 where expected");
    }
    free(sp);

    /* bad ones: cut in the scan, cut in the header, garbage after the magic */
    unsigned char *big = NULL;
    size_t bn = 0;
    write_jpeg(tmp("full.jpg"), &(jpgspec){.w = W, .h = H, .comps = 3, .pix = rgb});
    big = slurp(tmp("full.jpg"), &bn);
    spit(tmp("trunc.jpg"), big, bn - 40);
    load_bad(tmp("trunc.jpg"), "truncated JPEG");
    spit(tmp("trunc2.jpg"), big, 300);
    load_bad(tmp("trunc2.jpg"), "truncated JPEG");
    unsigned char junk[600];
    memcpy(junk, "\xff\xd8\xff\xe0", 4);
    for (size_t i = 4; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 13 + 5);
    spit(tmp("junk.jpg"), junk, sizeof junk); /* APP0's bogus length runs off the end */
    load_bad(tmp("junk.jpg"), "truncated JPEG (Premature end of JPEG file)");
    /* a frame of 0x0 pixels; 12-bit samples, which this libjpeg cannot decode */
    spit(tmp("empty.jpg"), "\xff\xd8\xff\xc0\x00\x0b\x08\x00\x00\x00\x00\x01\x01\x11\x00"
                           "\xff\xd9", 17);
    load_bad(tmp("empty.jpg"), "corrupt or unsupported JPEG (");
    for (size_t i = 2; i + 4 < bn; i++)
        if (big[i] == 0xff && big[i + 1] == 0xc0) {
            big[i + 4] = 12;
            break;
        }
    spit(tmp("12bit.jpg"), big, bn);
    load_bad(tmp("12bit.jpg"), "corrupt or unsupported JPEG (Unsupported JPEG data precision 12)");
    spit(tmp("soi.jpg"), "\xff\xd8\xff", 3);
    load_bad(tmp("soi.jpg"), "JPEG");
    free(big);
    free(file);
}

static void test_jpeg_large(void)
{
    /* 8000x7000 = 56 megapixels: decoded at 1/2 into samples */
    write_jpeg(tmp("big.jpg"), &(jpgspec){.w = 8000, .h = 7000, .comps = 1});
    nc_diag *d = nc_diag_new();
    nc_image img;
    CHECK(nc_image_load(tmp("big.jpg"), &img, &here, d) == 0);
    CHECK(img.kind == NC_IMG_RAW && img.width == 4000 && img.height == 3500);
    CHECK(img.components == 1 && img.len == (size_t)4000 * 3500);
    CHECK(img.data && img.data[777] < 2);
    CHECK(nc_diag_count(d, NC_DIAG_WARNING) == 0 && nc_diag_count(d, NC_DIAG_NOTE) == 1);
    CHECK(strstr(last_message(d), "scaled down to 4000x3500") != NULL);
    nc_image_free(&img);
    nc_diag_free(d);
    remove(tmp("big.jpg"));
}

static void test_unsupported(void)
{
    const char *svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n";
    spit(tmp("pic.svg"), svg, strlen(svg));
    load_bad(tmp("pic.svg"), "unsupported type SVG");
    spit(tmp("anim.png"), "GIF89a\x01\x00\x01\x00\x80\x00\x00", 13);
    load_bad(tmp("anim.png"), "unsupported type GIF");
    spit(tmp("x.webp"), "RIFF\x10\0\0\0WEBPVP8 ", 16);
    load_bad(tmp("x.webp"), "unsupported type WebP");
    spit(tmp("x.bmp"), "BM\x36\0\0\0\0\0", 8);
    load_bad(tmp("x.bmp"), "unsupported type BMP");
    spit(tmp("x.heic"), "\0\0\0\x18" "ftypheic\0\0\0\0", 16);
    load_bad(tmp("x.heic"), "unsupported type HEIF");
    spit(tmp("x.txt"), "hello, world\n", 13);
    load_bad(tmp("x.txt"), "not a PNG or JPEG");
    spit(tmp("empty.png"), "", 0);
    load_bad(tmp("empty.png"), "empty file");
    load_bad(tmp("missing.png"), "file not found");
    load_bad(tmpdir, "not a regular file");
    load_bad("", "without a source");
    if (geteuid() != 0) { /* root reads anything */
        write_jpeg(tmp("locked.jpg"), &(jpgspec){.w = 8, .h = 8, .comps = 1});
        chmod(tmp("locked.jpg"), 0);
        load_bad(tmp("locked.jpg"), "cannot read: Permission denied");
    }
    /* the message names the file */
    nc_diag *d = nc_diag_new();
    nc_image img;
    CHECK(nc_image_load(tmp("missing.png"), &img, NULL, d) == -1);
    nc_buf b = NC_BUF_INIT;
    nc_diag_format(nc_diag_get(d, 0), &b);
    CHECK(strstr(nc_buf_cstr(&b), "warning: image '") && strstr(nc_buf_cstr(&b), "missing.png"));
    nc_buf_free(&b);
    nc_diag_free(d);
}

static void test_placement(void)
{
    nc_image img = {.width = 20, .height = 10, .orientation = 6};
    double m[6];
    /* the box is the displayed (rotated) size; map the stored image's corners into it */
    nc_image_placement(&img, 100, 200, 10, 20, m);
    /* stored top-left (u 0, v 1) shows at the box's top right; stored top-right at bottom right */
    CHECK(m[0] * 0 + m[2] * 1 + m[4] == 110 && m[1] * 0 + m[3] * 1 + m[5] == 220);
    CHECK(m[0] * 1 + m[2] * 1 + m[4] == 110 && m[1] * 1 + m[3] * 1 + m[5] == 200);
    img.orientation = 1;
    nc_image_placement(&img, 100, 200, 20, 10, m);
    CHECK(m[0] == 20 && m[1] == 0 && m[2] == 0 && m[3] == 10 && m[4] == 100 && m[5] == 200);
    img.orientation = 3; /* top-left shows at bottom right */
    nc_image_placement(&img, 0, 0, 20, 10, m);
    CHECK(m[2] + m[4] == 20 && m[3] + m[5] == 0);
    img.orientation = 8; /* rotated 90 counter-clockwise: top-left shows at bottom left */
    nc_image_placement(&img, 0, 0, 10, 20, m);
    CHECK(m[2] + m[4] == 0 && m[3] + m[5] == 0);
    CHECK(m[0] + m[2] + m[4] == 0 && m[1] + m[3] + m[5] == 20);
}

static void test_remote(void)
{
    CHECK(nc_image_is_remote("http://example.com/a.png"));
    CHECK(nc_image_is_remote("https://example.com/a.png"));
    CHECK(nc_image_is_remote("HTTPS://EXAMPLE.COM/A.PNG"));
    CHECK(nc_image_is_remote("//cdn.example.com/a.png"));
    CHECK(nc_image_is_remote("data:image/png;base64,iVBORw0KGgo="));
    CHECK(nc_image_is_remote("ftp://host/x.jpg"));
    CHECK(!nc_image_is_remote("file:///tmp/a.png"));
    CHECK(!nc_image_is_remote("img/a.png"));
    CHECK(!nc_image_is_remote("/img/a.png"));
    CHECK(!nc_image_is_remote("./a:b.png"));
    CHECK(!nc_image_is_remote("C:\\pics\\a.png"));
    CHECK(!nc_image_is_remote(""));
    CHECK(!nc_image_is_remote(NULL));
}

static void test_resolve(void)
{
    char note[600], path[700];
    snprintf(note, sizeof note, "%s/notes/n.md", tmpdir);
    mkdir(tmp("notes"), 0700);
    mkdir(tmp("notes/img"), 0700);
    mkdir(tmp("res"), 0700);
    spit(tmp("notes/img/a b.png"), "x", 1);
    spit(tmp("res/r.png"), "x", 1);
    spit(tmp("notes/n.md"), "x", 1);

    char *r = nc_image_resolve("img/a%20b.png?v=2#top", note, NULL);
    snprintf(path, sizeof path, "%s/notes/img/a b.png", tmpdir);
    CHECK_STR(r, path);
    free(r);

    /* in a resource folder; empty and missing folders are skipped */
    char rp[1200];
    snprintf(rp, sizeof rp, "%s/none::%s/res", tmpdir, tmpdir);
    r = nc_image_resolve("r.png", note, rp);
    snprintf(path, sizeof path, "%s/res/r.png", tmpdir);
    CHECK_STR(r, path);
    free(r);

    /* Hugo: a note is served as a page of its own name, so "../x" is beside the note */
    r = nc_image_resolve("../img/a%20b.png", note, NULL);
    snprintf(path, sizeof path, "%s/notes/img/a b.png", tmpdir);
    CHECK_STR(r, path);
    free(r);
    r = nc_image_resolve("./../../notes/img/./a%20b.png", note, NULL);
    CHECK(r && strstr(r, "a b.png") != NULL);
    free(r);

    /* found nowhere: the note-relative path, for the caller's warning */
    r = nc_image_resolve("missing.png", note, rp);
    snprintf(path, sizeof path, "%s/notes/missing.png", tmpdir);
    CHECK_STR(r, path);
    free(r);

    /* absolute: as it is when it exists, else under the note's folder (Hugo's static/) */
    snprintf(path, sizeof path, "%s/res/r.png", tmpdir);
    r = nc_image_resolve(path, note, NULL);
    CHECK_STR(r, path);
    free(r);
    r = nc_image_resolve("/img/a%20b.png", note, NULL);
    snprintf(path, sizeof path, "%s/notes/img/a b.png", tmpdir);
    CHECK_STR(r, path);
    free(r);
    r = nc_image_resolve("/r.png", note, rp);
    snprintf(path, sizeof path, "%s/res/r.png", tmpdir);
    CHECK_STR(r, path);
    free(r);
    r = nc_image_resolve("/nowhere/x.png", note, rp);
    CHECK_STR(r, "/nowhere/x.png");
    free(r);

    /* file: URLs, stdin, a bare note name, %00 and bad escapes kept */
    snprintf(path, sizeof path, "file://%s/res/r.png", tmpdir);
    r = nc_image_resolve(path, NULL, NULL);
    snprintf(path, sizeof path, "%s/res/r.png", tmpdir);
    CHECK_STR(r, path);
    free(r);
    r = nc_image_resolve("a.png", "-", NULL);
    CHECK_STR(r, "a.png");
    free(r);
    r = nc_image_resolve("a.png", "n.md", NULL);
    CHECK_STR(r, "a.png");
    free(r);
    r = nc_image_resolve("a.png", "/n.md", NULL);
    CHECK_STR(r, "/a.png");
    free(r);
    r = nc_image_resolve("a%00b%zz%4", NULL, NULL);
    CHECK_STR(r, "a%00b%zz%4");
    free(r);
    r = nc_image_resolve("%E7%94%BB%E5%83%8F.png", "x/n.md", NULL);
    CHECK_STR(r, "x/\xe7\x94\xbb\xe5\x83\x8f.png");
    free(r);
    CHECK(nc_image_resolve("", note, NULL) == NULL);
    CHECK(nc_image_resolve("?x", note, NULL) == NULL);
    CHECK(nc_image_resolve(NULL, note, NULL) == NULL);
}

static void test_corpus(void)
{
    const char *files[] = {
        "/work/shared/corpus/blog/2019/10/20191022_1.JPG",
        "/work/shared/corpus/blog/2020/05/wsl.png",
        "/work/shared/corpus/blog/2020/05/vscode_error.png",
        "/work/shared/corpus/blog/2020/05/wslupdate.png",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        if (access(files[i], R_OK) != 0)
            continue;
        nc_image img;
        CHECK(load_ok(files[i], &img));
        CHECK(img.width > 0 && img.height > 0 && img.data && img.len > 0);
        if (img.kind == NC_IMG_RAW)
            CHECK(img.len == (size_t)img.width * img.height * (size_t)img.components);
        nc_image_free(&img);
    }
}

int main(void)
{
    need_pdf_libs();
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_png_rgb();
    test_png_alpha();
    test_png_gray();
    test_png_palette();
    test_png_16bit();
    test_png_interlaced();
    test_png_bad();
    test_png_large();
    test_jpeg();
    test_jpeg_large();
    test_unsupported();
    test_placement();
    test_remote();
    test_resolve();
    test_corpus();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_done();
}
