/* image.c — loads PNG (libpng) and JPEG (libjpeg) images for the PDF writer (src/resolve.c
 * finds their files). It never includes hpdf.h, prints, aborts, or lets a longjmp leave this file.
 *
 * setjmp discipline: each decoder keeps all its mutable state in a context struct owned by the
 * caller of the function that calls setjmp, so nothing the longjmp skips over is an automatic
 * variable of the setjmp frame; the caller frees what the context holds either way. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "writer/pdf/image.h"
#include "writer/pdf/libs.h" /* last: it redirects the libraries' names */

/* ---------------------------------------------------------------------------------------- */
/* Reading the file and telling formats apart                                                */

static void warn(nc_diag *diag, const nc_pos *pos, const char *path, const char *why)
{
    nc_diag_report(diag, NC_DIAG_WARNING, pos, "image '%s': %s", path, why);
}

/* The whole file, or NULL with a warning saying why. */
static unsigned char *slurp(const char *path, size_t *len, const nc_pos *pos, nc_diag *diag)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        warn(diag, pos, path, errno == ENOENT ? "file not found" : strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        warn(diag, pos, path, "not a regular file");
        return NULL;
    }
    if ((uintmax_t)st.st_size > NC_IMAGE_MAX_FILE) {
        nc_diag_report(diag, NC_DIAG_WARNING, pos,
                       "image '%s': too large (%jd bytes; the limit is %zu MB)", path,
                       (intmax_t)st.st_size, NC_IMAGE_MAX_FILE >> 20);
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nc_diag_report(diag, NC_DIAG_WARNING, pos, "image '%s': cannot read: %s", path,
                       strerror(errno));
        return NULL;
    }
    /* +1 so an empty file still gets a buffer; the size may change while we read */
    size_t cap = (size_t)st.st_size + 1, n = 0;
    unsigned char *p = nc_xmalloc(cap);
    for (;;) {
        size_t got = fread(p + n, 1, cap - n, fp);
        n += got;
        if (n < cap || ferror(fp) || n >= NC_IMAGE_MAX_FILE)
            break;
        cap *= 2;
        p = nc_xrealloc(p, cap);
    }
    bool bad = ferror(fp);
    int err = errno;
    fclose(fp);
    if (bad) {
        free(p);
        nc_diag_report(diag, NC_DIAG_WARNING, pos, "image '%s': cannot read: %s", path,
                       strerror(err));
        return NULL;
    }
    *len = n;
    return p;
}

static bool starts(const unsigned char *p, size_t n, const char *magic, size_t mlen)
{
    return n >= mlen && memcmp(p, magic, mlen) == 0;
}

/* The name of a format we recognise but do not load, or NULL. */
static const char *other_format(const unsigned char *p, size_t n)
{
    if (starts(p, n, "GIF87a", 6) || starts(p, n, "GIF89a", 6))
        return "GIF";
    if (n >= 12 && starts(p, n, "RIFF", 4) && memcmp(p + 8, "WEBP", 4) == 0)
        return "WebP";
    if (starts(p, n, "BM", 2))
        return "BMP";
    if (starts(p, n, "II*\0", 4) || starts(p, n, "MM\0*", 4))
        return "TIFF";
    if (starts(p, n, "%PDF", 4))
        return "PDF";
    if (starts(p, n, "8BPS", 4))
        return "Photoshop (PSD)";
    if (starts(p, n, "\0\0\1\0", 4))
        return "ICO";
    if (starts(p, n, "\0\0\0\14jP  ", 8) || starts(p, n, "\xff\x4f\xff\x51", 4))
        return "JPEG 2000";
    if (starts(p, n, "\xff\x0a", 2) || starts(p, n, "\0\0\0\14JXL ", 8))
        return "JPEG XL";
    if (n >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
        if (memcmp(p + 8, "avif", 4) == 0 || memcmp(p + 8, "avis", 4) == 0)
            return "AVIF";
        if (memcmp(p + 8, "hei", 3) == 0 || memcmp(p + 8, "hev", 3) == 0 ||
            memcmp(p + 8, "mif1", 4) == 0 || memcmp(p + 8, "msf1", 4) == 0)
            return "HEIF";
    }
    /* SVG is text: look for the root element near the start (after a BOM, an XML declaration,
     * comments or a DOCTYPE) */
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 4 <= lim; i++)
        if (p[i] == '<' && (p[i + 1] == 's' || p[i + 1] == 'S') &&
            (p[i + 2] == 'v' || p[i + 2] == 'V') && (p[i + 3] == 'g' || p[i + 3] == 'G'))
            return "SVG";
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* EXIF orientation (a TIFF header and IFD0 from a JPEG APP1 or a PNG eXIf chunk)           */

static unsigned rd16(const unsigned char *p, bool be)
{
    return be ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

static uint32_t rd32(const unsigned char *p, bool be)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* 1..8 from tag 0x0112 of IFD0; 1 when absent or malformed (every offset is checked). */
static int exif_orientation(const unsigned char *t, size_t n)
{
    if (n < 8)
        return 1;
    bool be;
    if (memcmp(t, "MM\0*", 4) == 0)
        be = true;
    else if (memcmp(t, "II*\0", 4) == 0)
        be = false;
    else
        return 1;
    uint32_t ifd = rd32(t + 4, be);
    if (ifd > n - 2)
        return 1;
    unsigned count = rd16(t + ifd, be);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;
        if (e + 12 > n)
            break;
        if (rd16(t + e, be) == 0x0112 && rd16(t + e + 2, be) == 3) {
            unsigned v = rd16(t + e + 8, be);
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* PNG                                                                                       */

typedef struct pngctx {
    const unsigned char *src;
    size_t len, off;
    bool eof;           /* the file ended inside the image: truncated, not corrupt */
    char msg[200];
    png_structp png;
    png_infop info;
    unsigned char *pix; /* interleaved output, alpha still in */
    png_bytep *rows;    /* interlaced: one pointer per row of pix */
    unsigned char *row; /* scaled: one decoded source row */
    uint32_t *acc;      /* scaled: sums for one output row */
    unsigned w, h, ow, oh, factor;
    int ch;
    bool interlaced;
    bool too_large;
    int orientation;
} pngctx;

static void png_on_error(png_structp png, png_const_charp msg)
{
    pngctx *c = png_get_error_ptr(png);
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    /* libpng would print these; ancillary-chunk trouble does not stop an image being shown */
    NC_UNUSED(png);
    NC_UNUSED(msg);
}

static void png_on_read(png_structp png, png_bytep out, size_t n)
{
    pngctx *c = png_get_io_ptr(png);
    if (n > c->len - c->off) {
        c->eof = true;
        png_error(png, "unexpected end of file");
    }
    memcpy(out, c->src + c->off, n);
    c->off += n;
}

/* The smallest integer factor that brings w x h under NC_IMAGE_MAX_PIXELS. */
static unsigned scale_factor(uint64_t w, uint64_t h)
{
    unsigned f = 1;
    while (((w + f - 1) / f) * ((h + f - 1) / f) > NC_IMAGE_MAX_PIXELS)
        f++;
    return f;
}

/* Adds source row y into the sums and emits output rows as each band of factor rows ends:
 * a box filter, good enough for an image that is shrunk only because it is absurdly large. */
static void png_accumulate(pngctx *c, unsigned y)
{
    unsigned f = c->factor, ch = (unsigned)c->ch;
    for (unsigned x = 0; x < c->w; x++)
        for (unsigned k = 0; k < ch; k++)
            c->acc[(size_t)(x / f) * ch + k] += c->row[(size_t)x * ch + k];
    if ((y + 1) % f != 0 && y + 1 != c->h)
        return;
    unsigned rows = y % f + 1;
    unsigned char *out = c->pix + (size_t)(y / f) * c->ow * ch;
    for (unsigned ox = 0; ox < c->ow; ox++) {
        unsigned cols = ox + 1 < c->ow || c->w % f == 0 ? f : c->w % f;
        uint32_t area = rows * cols;
        for (unsigned k = 0; k < ch; k++) {
            uint32_t *s = &c->acc[(size_t)ox * ch + k];
            out[(size_t)ox * ch + k] = (unsigned char)((*s + area / 2) / area);
            *s = 0;
        }
    }
}

/* Decodes into c->pix; 0, or -1 with c->msg set. The only function here that calls setjmp. */
static int png_decode(pngctx *c)
{
    c->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, c, png_on_error, png_on_warning);
    if (!c->png) {
        snprintf(c->msg, sizeof c->msg, "cannot start libpng");
        return -1;
    }
    c->info = png_create_info_struct(c->png);
    if (!c->info) {
        snprintf(c->msg, sizeof c->msg, "cannot start libpng");
        return -1;
    }
    if (setjmp(png_jmpbuf(c->png)))
        return -1;
    png_set_read_fn(c->png, c, png_on_read);
    png_read_info(c->png, c->info);
    c->w = png_get_image_width(c->png, c->info);
    c->h = png_get_image_height(c->png, c->info);
    c->interlaced = png_get_interlace_type(c->png, c->info) != PNG_INTERLACE_NONE;
    uint64_t px = (uint64_t)c->w * c->h;
    if (px > NC_IMAGE_MAX_SOURCE_PIXELS || (c->interlaced && px > NC_IMAGE_MAX_PIXELS)) {
        c->too_large = true;
        return -1;
    }
#ifdef PNG_eXIf_SUPPORTED
    png_bytep exif = NULL;
    png_uint_32 nexif = 0;
    if (png_get_eXIf_1(c->png, c->info, &nexif, &exif) && exif)
        c->orientation = exif_orientation(exif, nexif);
#endif
    /* palette -> RGB, gray < 8 bits -> 8, tRNS -> an alpha channel */
    png_set_expand(c->png);
#ifdef PNG_READ_SCALE_16_TO_8_SUPPORTED
    png_set_scale_16(c->png); /* rounds (v * 255 / 65535); strip_16 would just drop the low byte */
#else
    png_set_strip_16(c->png);
#endif
    int passes = png_set_interlace_handling(c->png);
    png_read_update_info(c->png, c->info);
    c->ch = png_get_channels(c->png, c->info);
    if (c->ch < 1 || c->ch > 4 || png_get_bit_depth(c->png, c->info) != 8) {
        snprintf(c->msg, sizeof c->msg, "unexpected pixel layout after expansion");
        return -1;
    }
    size_t ch = (size_t)c->ch;
    if (c->interlaced) {
        /* Adam7 needs the whole image: libpng fills rows in over seven passes */
        c->ow = c->w;
        c->oh = c->h;
        c->pix = nc_xmalloc((size_t)c->w * c->h * ch);
        c->rows = nc_xmalloc((size_t)c->h * sizeof *c->rows);
        for (unsigned y = 0; y < c->h; y++)
            c->rows[y] = c->pix + (size_t)y * c->w * ch;
        NC_UNUSED(passes);
        png_read_image(c->png, c->rows);
    } else {
        c->factor = scale_factor(c->w, c->h);
        c->ow = (c->w + c->factor - 1) / c->factor;
        c->oh = (c->h + c->factor - 1) / c->factor;
        c->pix = nc_xmalloc((size_t)c->ow * c->oh * ch);
        if (c->factor == 1) {
            for (unsigned y = 0; y < c->h; y++)
                png_read_row(c->png, c->pix + (size_t)y * c->w * ch, NULL);
        } else {
            c->row = nc_xmalloc((size_t)c->w * ch);
            c->acc = nc_xcalloc((size_t)c->ow * ch, sizeof *c->acc);
            for (unsigned y = 0; y < c->h; y++) {
                png_read_row(c->png, c->row, NULL);
                png_accumulate(c, y);
            }
        }
    }
    /* reads to IEND so a corrupt or missing tail (bad CRC, cut file) is caught too */
    png_read_end(c->png, NULL);
    return 0;
}

/* Moves the alpha channel of an interleaved buffer out into img->alpha (none if all 255). */
static void split_alpha(nc_image *img, unsigned char *pix, int ch)
{
    size_t n = (size_t)img->width * img->height;
    int color = ch == 2 || ch == 4 ? ch - 1 : ch;
    if (color != ch) {
        unsigned char *a = nc_xmalloc(n ? n : 1);
        bool opaque = true;
        unsigned char *dst = pix;
        const unsigned char *src = pix;
        for (size_t i = 0; i < n; i++) {
            /* compacting in place is safe: the write pointer never passes the read pointer */
            for (int k = 0; k < color; k++)
                *dst++ = *src++;
            a[i] = *src++;
            opaque &= a[i] == 255;
        }
        if (opaque)
            free(a);
        else
            img->alpha = a;
        pix = nc_xrealloc(pix, (n ? n : 1) * (size_t)color);
    }
    img->kind = NC_IMG_RAW;
    img->components = color;
    img->data = pix;
    img->len = n * (size_t)color;
}

static int load_png(const char *path, const unsigned char *buf, size_t len, nc_image *img,
                    const nc_pos *pos, nc_diag *diag)
{
    pngctx c;
    memset(&c, 0, sizeof c);
    c.src = buf;
    c.len = len;
    c.orientation = 1;
    int rc = png_decode(&c);
    if (c.png)
        png_destroy_read_struct(&c.png, c.info ? &c.info : NULL, NULL);
    free(c.rows);
    free(c.row);
    free(c.acc);
    if (rc != 0) {
        free(c.pix);
        if (c.too_large)
            nc_diag_report(diag, NC_DIAG_WARNING, pos,
                           "image '%s': too large (%ux%u PNG%s; the limit is %u megapixels)",
                           path, c.w, c.h, c.interlaced ? ", interlaced" : "",
                           (unsigned)((c.interlaced ? NC_IMAGE_MAX_PIXELS
                                                    : NC_IMAGE_MAX_SOURCE_PIXELS) /
                                      1000000));
        else if (c.eof)
            warn(diag, pos, path, "truncated PNG (the file ends inside the image)");
        else
            nc_diag_report(diag, NC_DIAG_WARNING, pos, "image '%s': corrupt PNG (%s)", path,
                           c.msg);
        return -1;
    }
    if (c.factor > 1)
        nc_diag_report(diag, NC_DIAG_NOTE, pos,
                       "image '%s': %ux%u is over %u megapixels; scaled down to %ux%u", path,
                       c.w, c.h, (unsigned)(NC_IMAGE_MAX_PIXELS / 1000000), c.ow, c.oh);
    img->width = c.ow;
    img->height = c.oh;
    img->orientation = c.orientation;
    split_alpha(img, c.pix, c.ch);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* JPEG                                                                                      */

typedef struct jpgctx {
    struct jpeg_error_mgr err; /* first, so the error manager pointer leads back here */
    jmp_buf jb;
    struct jpeg_decompress_struct cinfo;
    bool started;
    bool truncated;
    bool raw;           /* decode to samples: too large, arithmetic, odd header */
    bool too_large;
    unsigned scale;     /* 1, 2, 4, 8 */
    unsigned char *pix; /* raw: the decoded samples */
    unsigned char *line;
    int orientation;
    char msg[JMSG_LENGTH_MAX];
} jpgctx;

static void jpg_on_error(j_common_ptr ci)
{
    jpgctx *c = (jpgctx *)ci->err;
    ci->err->format_message(ci, c->msg);
    longjmp(c->jb, 1);
}

/* Warnings that mean the entropy-coded data is cut short or damaged: libjpeg would pad the
 * image with gray and go on, but the page would show a broken picture. Others (extraneous
 * bytes before a marker, odd JFIF versions) are common in camera files and harmless. */
static void jpg_on_message(j_common_ptr ci, int level)
{
    jpgctx *c = (jpgctx *)ci->err;
    if (level >= 0)
        return;
    int code = ci->err->msg_code;
    if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE ||
        code == JWRN_ARITH_BAD_CODE) {
        c->truncated = code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER;
        ci->err->format_message(ci, c->msg);
        longjmp(c->jb, 1);
    }
}

static void jpg_on_output(j_common_ptr ci)
{
    NC_UNUSED(ci);
}

/* The CMYK -> RGB of a naive viewer, for the rare huge CMYK JPEG that must be decoded. */
static void cmyk_to_rgb(unsigned char *dst, const unsigned char *src, unsigned w, bool inverted)
{
    for (unsigned x = 0; x < w; x++) {
        unsigned k4[4];
        for (int i = 0; i < 4; i++)
            k4[i] = inverted ? src[4 * x + (unsigned)i] : 255u - src[4 * x + (unsigned)i];
        /* k4 now holds 255 - ink: multiplying two "lightnesses" gives the channel */
        for (int i = 0; i < 3; i++)
            dst[3 * x + (unsigned)i] = (unsigned char)((k4[i] * k4[3] + 127) / 255);
    }
}

/* Whether a PDF writer's simple marker walk finds the frame header: libharu reads segments
 * from SOI by their lengths until SOF0, SOF1, SOF2 or SOF9, and fails on anything else (stray
 * bytes between segments, lossless or hierarchical frames). libjpeg is more forgiving, so a
 * file that passes libjpeg but not this walk is decoded rather than embedded. */
static bool dct_header_ok(const unsigned char *p, size_t n)
{
    size_t off = 2;
    while (off + 4 <= n) {
        if (p[off] != 0xff)
            return false;
        unsigned m = p[off + 1];
        if (m == 0xc0 || m == 0xc1 || m == 0xc2)
            return true;
        if ((m >= 0xc3 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) || m == 0xda)
            return false;
        off += 2 + ((size_t)p[off + 2] << 8 | p[off + 3]);
    }
    return false;
}

/* Decodes the whole JPEG (scaled down 8x when it is only validated); 0 or -1 with c->msg set.
 * The only function here that calls setjmp. */
static int jpg_decode(jpgctx *c, const unsigned char *buf, size_t len)
{
    struct jpeg_decompress_struct *ci = &c->cinfo;
    ci->err = jpeg_std_error(&c->err);
    c->err.error_exit = jpg_on_error;
    c->err.emit_message = jpg_on_message;
    c->err.output_message = jpg_on_output;
    if (setjmp(c->jb))
        return -1;
    jpeg_create_decompress(ci);
    c->started = true;
    /* caps progressive JPEGs, whose coefficients are all kept in memory */
    ci->mem->max_memory_to_use = 512L * 1024 * 1024;
    jpeg_mem_src(ci, buf, (unsigned long)len);
    jpeg_save_markers(ci, JPEG_APP0 + 1, 0xffff);
    jpeg_read_header(ci, TRUE);
    for (jpeg_saved_marker_ptr m = ci->marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0) {
            c->orientation = exif_orientation(m->data + 6, m->data_length - 6);
            break;
        }
    uint64_t px = (uint64_t)ci->image_width * ci->image_height;
    if (px > NC_IMAGE_MAX_SOURCE_PIXELS) {
        c->too_large = true;
        return -1;
    }
    if (ci->num_components != 1 && ci->num_components != 3 && ci->num_components != 4) {
        snprintf(c->msg, sizeof c->msg, "%d color components", ci->num_components);
        return -1;
    }
    c->raw = px > NC_IMAGE_MAX_PIXELS || ci->arith_code || !dct_header_ok(buf, len);
    c->scale = 1;
    if (px > NC_IMAGE_MAX_PIXELS)
        while (c->scale < 8 && px / ((uint64_t)c->scale * c->scale) > NC_IMAGE_MAX_PIXELS)
            c->scale *= 2;
    if (!c->raw)
        c->scale = 8; /* only checking that it decodes: the DC coefficients are enough */
    ci->scale_num = 1;
    ci->scale_denom = c->scale;
    if (ci->num_components == 1)
        ci->out_color_space = JCS_GRAYSCALE;
    else if (ci->num_components == 3)
        ci->out_color_space = JCS_RGB;
    else
        ci->out_color_space = JCS_CMYK;
    if (!c->raw) {
        ci->dct_method = JDCT_IFAST;
        ci->do_fancy_upsampling = FALSE;
    }
    jpeg_start_decompress(ci);
    size_t w = ci->output_width, comps = (size_t)ci->output_components;
    size_t outc = comps == 4 ? 3 : comps;
    c->line = nc_xmalloc(w * comps);
    if (c->raw)
        c->pix = nc_xmalloc(w * ci->output_height * outc);
    while (ci->output_scanline < ci->output_height) {
        JSAMPROW row = c->line;
        size_t y = ci->output_scanline;
        if (jpeg_read_scanlines(ci, &row, 1) != 1)
            continue; /* suspension cannot happen with a memory source */
        if (!c->raw)
            continue;
        unsigned char *dst = c->pix + y * w * outc;
        if (comps == 4)
            cmyk_to_rgb(dst, c->line, (unsigned)w, ci->saw_Adobe_marker);
        else
            memcpy(dst, c->line, w * comps);
    }
    jpeg_finish_decompress(ci);
    return 0;
}

static int load_jpeg(const char *path, unsigned char *buf, size_t len, nc_image *img,
                     const nc_pos *pos, nc_diag *diag)
{
    jpgctx c;
    memset(&c, 0, sizeof c);
    c.orientation = 1;
    int rc = jpg_decode(&c, buf, len);
    struct jpeg_decompress_struct *ci = &c.cinfo;
    unsigned iw = ci->image_width, ih = ci->image_height;
    unsigned ow = ci->output_width, oh = ci->output_height;
    int ncomp = ci->num_components;
    bool adobe = ci->saw_Adobe_marker, arith = ci->arith_code;
    if (c.started)
        jpeg_destroy_decompress(ci);
    free(c.line);
    if (rc != 0) {
        free(c.pix);
        free(buf);
        if (c.too_large)
            nc_diag_report(diag, NC_DIAG_WARNING, pos,
                           "image '%s': too large (%ux%u JPEG; the limit is %u megapixels)",
                           path, iw, ih, (unsigned)(NC_IMAGE_MAX_SOURCE_PIXELS / 1000000));
        else if (c.truncated)
            nc_diag_report(diag, NC_DIAG_WARNING, pos, "image '%s': truncated JPEG (%s)", path,
                           c.msg);
        else
            nc_diag_report(diag, NC_DIAG_WARNING, pos,
                           "image '%s': corrupt or unsupported JPEG (%s)", path, c.msg);
        return -1;
    }
    img->orientation = c.orientation;
    if (!c.raw) {
        img->kind = NC_IMG_JPEG;
        img->width = iw;
        img->height = ih;
        img->components = ncomp;
        img->data = buf;
        img->len = len;
        img->adobe_inverted = ncomp == 4 && adobe;
        return 0;
    }
    free(buf);
    if (c.scale > 1)
        nc_diag_report(diag, NC_DIAG_NOTE, pos,
                       "image '%s': %ux%u is over %u megapixels; scaled down to %ux%u", path,
                       iw, ih, (unsigned)(NC_IMAGE_MAX_PIXELS / 1000000), ow, oh);
    else
        nc_diag_report(diag, NC_DIAG_NOTE | NC_DIAG_VERBOSE, pos,
                       "image '%s': %s; embedded decoded", path,
                       arith ? "arithmetic-coded JPEG" : "JPEG with an unusual header");
    img->kind = NC_IMG_RAW;
    img->width = ow;
    img->height = oh;
    img->components = ncomp == 1 ? 1 : 3;
    img->data = c.pix;
    img->len = (size_t)ow * oh * (size_t)img->components;
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The public entry points                                                                   */

int nc_image_load(const char *path, nc_image *img, const nc_pos *pos, nc_diag *diag)
{
    memset(img, 0, sizeof *img);
    img->orientation = 1;
    if (!path || !*path) {
        nc_diag_report(diag, NC_DIAG_WARNING, pos, "image without a source");
        return -1;
    }
    size_t len = 0;
    unsigned char *buf = slurp(path, &len, pos, diag);
    if (!buf)
        return -1;
    const char *other;
    if (len == 0) {
        warn(diag, pos, path, "empty file");
    } else if (starts(buf, len, "\x89PNG\r\n\x1a\n", 8)) {
        int rc = load_png(path, buf, len, img, pos, diag);
        free(buf);
        return rc;
    } else if (starts(buf, len, "\xff\xd8\xff", 3)) {
        return load_jpeg(path, buf, len, img, pos, diag); /* takes buf */
    } else if ((other = other_format(buf, len)) != NULL) {
        nc_diag_report(diag, NC_DIAG_WARNING, pos,
                       "image '%s': unsupported type %s (only PNG and JPEG can be embedded)",
                       path, other);
    } else if (starts(buf, len, "\x89PNG", 4)) {
        warn(diag, pos, path, "corrupt PNG (damaged signature)");
    } else {
        warn(diag, pos, path, "unsupported type: not a PNG or JPEG file");
    }
    free(buf);
    return -1;
}

void nc_image_free(nc_image *img)
{
    if (!img)
        return;
    free(img->data);
    free(img->alpha);
    memset(img, 0, sizeof *img);
}

void nc_image_display_size(const nc_image *img, unsigned *w, unsigned *h)
{
    bool swap = img->orientation >= 5 && img->orientation <= 8;
    *w = swap ? img->height : img->width;
    *h = swap ? img->width : img->height;
}

void nc_image_placement(const nc_image *img, double x, double y, double w, double h,
                        double m[6])
{
    /* per orientation: (a b c d e f) mapping the image's unit square (u right, v up, the
     * first stored row at v = 1) onto the upright unit square */
    static const signed char t[9][6] = {
        {1, 0, 0, 1, 0, 0},   {1, 0, 0, 1, 0, 0},  {-1, 0, 0, 1, 1, 0},
        {-1, 0, 0, -1, 1, 1}, {1, 0, 0, -1, 0, 1}, {0, -1, -1, 0, 1, 1},
        {0, -1, 1, 0, 0, 1},  {0, 1, 1, 0, 0, 0},  {0, 1, -1, 0, 1, 0},
    };
    int o = img->orientation >= 1 && img->orientation <= 8 ? img->orientation : 1;
    m[0] = w * t[o][0];
    m[1] = h * t[o][1];
    m[2] = w * t[o][2];
    m[3] = h * t[o][3];
    m[4] = x + w * t[o][4];
    m[5] = y + h * t[o][5];
}
