/* backend.c — draws a finished layout with libharu: the only file that includes hpdf.h.
 * libharu builds the file (objects, pages, annotations, outlines, info, compression); fonts
 * are our own Type0/CIDFontType2 objects holding harfbuzz subsets with a ToUnicode map, and
 * page content is written as operators, because libharu's UTF-8 fonts embed whole tables
 * and spend most of a conversion building 64K-entry maps. Same input, same bytes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "backend.h"
#include "pdfmem.h"
#include "subset.h"
#include "writer/pdf/libs.h" /* last: it redirects the libraries' names */

typedef struct ctx {
    nc_diag *diag;
    HPDF_STATUS error;
    HPDF_STATUS detail;
} ctx;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    ctx *c = user;
    /* the first error is the one that explains the rest */
    if (!c->error) {
        c->error = error;
        c->detail = detail;
    }
}

/* A destination that keeps the reader's zoom: [page /XYZ left top null]. */
static HPDF_Destination dest_at(HPDF_Page page, double y)
{
    HPDF_Destination d = HPDF_Page_CreateDestination(page);
    if (!d)
        return NULL;
    HPDF_Array_Clear(d);
    HPDF_Array_Add(d, page);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_AddReal(d, 0);
    HPDF_Array_AddReal(d, (HPDF_REAL)y);
    HPDF_Array_Add(d, HPDF_Null_New(d->mmgr));
    return d;
}

/* URIs in a PDF are 7-bit: percent-encode the rest. */
static void uri_escape(const char *s, size_t len, nc_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '\\' && c != '{' &&
            c != '}' && c != '|' && c != '^' && c != '`') {
            nc_buf_putc(out, c);
        } else {
            nc_buf_putc(out, '%');
            nc_buf_putc(out, hex[c >> 4]);
            nc_buf_putc(out, hex[c & 15]);
        }
    }
}

/* ---- fonts: one Type0 font per face, holding the subset of the glyphs used ---- */

typedef struct efont {
    const nc_font *font;
    unsigned char *used;   /* per glyph of the face */
    /* Character ids: one per character drawn, so that two characters sharing a glyph
     * (〜 and ～ in Japanese faces) still copy out as themselves. */
    uint16_t *cid_of_cp;   /* per BMP code point; 0: not used */
    uint32_t *cp_of_cid;
    unsigned ncid;
    unsigned nglyphs;
    nc_subset sub;
    HPDF_Dict type0;
} efont;

static efont *efont_of(efont *ef, int nef, const nc_font *f)
{
    for (int i = 0; i < nef; i++)
        if (ef[i].font == f)
            return &ef[i];
    return NULL;
}

/* The subset tag of BaseFont (six capitals): from the glyphs kept, so that it is stable. */
static void subset_tag(const efont *e, char tag[8])
{
    uint64_t h = 1469598103934665603u;
    for (unsigned g = 0; g < e->sub.nglyphs; g++)
        h = (h ^ e->sub.old_of_new[g]) * 1099511628211u;
    for (const char *p = nc_font_psname(e->font); *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '+';
    tag[7] = '\0';
}

static HPDF_Array number_array(HPDF_MMgr mmgr, const int *v, int n)
{
    HPDF_Array a = HPDF_Array_New(mmgr);
    for (int i = 0; i < n; i++)
        HPDF_Array_AddNumber(a, v[i]);
    return a;
}

static int scale(const nc_font *f, int v)
{
    return (int)((long)v * 1000 / (long)nc_font_units_per_em(f));
}

static void tounicode(HPDF_Stream s, const efont *e)
{
    HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* bfchar blocks hold at most 100 entries */
    unsigned total = e->ncid - 1;
    char line[64];
    for (unsigned c = 1; c < e->ncid; c++) {
        unsigned done = c - 1;
        if (done % 100 == 0) {
            unsigned left = total - done;
            snprintf(line, sizeof line, "%u beginbfchar\n", left < 100 ? left : 100);
            HPDF_Stream_WriteStr(s, line);
        }
        snprintf(line, sizeof line, "<%04X> <%04X>\n", c, (unsigned)e->cp_of_cid[c]);
        HPDF_Stream_WriteStr(s, line);
        if (c % 100 == 0 || c == e->ncid - 1)
            HPDF_Stream_WriteStr(s, "endbfchar\n");
    }
    HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* Writes the /Filter of a stream whose data is deflated already. */
static HPDF_STATUS flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Font programs and page content are deflated with libdeflate, which gives zlib's size at
 * level 6 in 40% of its time (deflate was half of a conversion). libharu drops a /Filter
 * it did not apply itself, so the dictionary's write hook puts it back. */
static void put_deflated(struct libdeflate_compressor *z, HPDF_Dict d, const void *data,
                         size_t len)
{
    size_t cap = z ? libdeflate_zlib_compress_bound(z, len) : 0;
    unsigned char *buf = cap ? nc_xmalloc(cap) : NULL;
    size_t n = buf ? libdeflate_zlib_compress(z, data, len, buf, cap) : 0;
    if (n) {
        HPDF_Stream_Write(d->stream, buf, (HPDF_UINT)n);
        d->filter = HPDF_STREAM_FILTER_NONE;
        d->write_fn = flate_filter;
    } else {
        HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
        d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    }
    free(buf);
}

static HPDF_Dict embed(HPDF_Doc pdf, efont *e, struct libdeflate_compressor *z)
{
    HPDF_MMgr mmgr = pdf->mmgr;
    HPDF_Xref xref = pdf->xref;
    const nc_font *f = e->font;
    char tag[8], name[160];
    subset_tag(e, tag);
    /* a PostScript name has no spaces or delimiters */
    size_t k = 0;
    for (const char *p = nc_font_psname(f); *p && k < sizeof name - 9; p++)
        if (*p > 32 && *p < 127 && !strchr("()<>[]{}/%#", *p))
            name[k++] = *p;
    name[k] = '\0';
    char base[176];
    snprintf(base, sizeof base, "%s%s", tag, k ? name : "Font");

    HPDF_Dict ff = HPDF_DictStream_New(mmgr, xref);
    put_deflated(z, ff, e->sub.data, e->sub.len);
    HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)e->sub.len);

    HPDF_Dict fd = HPDF_Dict_New(mmgr);
    HPDF_Xref_Add(xref, fd);
    HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    HPDF_Dict_AddName(fd, "FontName", base);
    HPDF_Dict_AddNumber(fd, "Flags", 4 | (nc_font_is_fixed_pitch(f) ? 1 : 0));
    int bb[4];
    nc_font_bbox(f, bb);
    int sbb[4] = {scale(f, bb[0]), scale(f, bb[1]), scale(f, bb[2]), scale(f, bb[3])};
    HPDF_Dict_Add(fd, "FontBBox", number_array(mmgr, sbb, 4));
    HPDF_Dict_AddNumber(fd, "ItalicAngle", 0);
    HPDF_Dict_AddNumber(fd, "Ascent", scale(f, nc_font_ascent(f)));
    HPDF_Dict_AddNumber(fd, "Descent", scale(f, nc_font_descent(f)));
    HPDF_Dict_AddNumber(fd, "CapHeight", scale(f, nc_font_cap_height(f)));
    HPDF_Dict_AddNumber(fd, "StemV", 80);
    HPDF_Dict_Add(fd, "FontFile2", ff);

    HPDF_Dict cid = HPDF_Dict_New(mmgr);
    HPDF_Xref_Add(xref, cid);
    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", base);
    HPDF_Dict sys = HPDF_Dict_New(mmgr);
    HPDF_Dict_Add(sys, "Registry", HPDF_String_New(mmgr, "Adobe", NULL));
    HPDF_Dict_Add(sys, "Ordering", HPDF_String_New(mmgr, "Identity", NULL));
    HPDF_Dict_AddNumber(sys, "Supplement", 0);
    HPDF_Dict_Add(cid, "CIDSystemInfo", sys);
    HPDF_Dict_Add(cid, "FontDescriptor", fd);
    HPDF_Dict_AddNumber(cid, "DW", 1000);
    HPDF_Array w = HPDF_Array_New(mmgr);
    HPDF_Array_AddNumber(w, 0);
    HPDF_Array widths = HPDF_Array_New(mmgr);
    HPDF_Dict map = HPDF_DictStream_New(mmgr, xref);
    for (unsigned c = 0; c < e->ncid; c++) {
        uint16_t old = nc_font_glyph(f, e->cp_of_cid[c]);
        HPDF_Array_AddNumber(widths, scale(f, (int)nc_font_advance(f, old)));
        uint16_t g = e->sub.new_of_old[old];
        HPDF_BYTE be[2] = {(HPDF_BYTE)(g >> 8), (HPDF_BYTE)(g & 255)};
        HPDF_Stream_Write(map->stream, be, 2);
    }
    HPDF_Array_Add(w, widths);
    HPDF_Dict_Add(cid, "W", w);
    /* codes in the content are character ids; this stream gives each its glyph */
    map->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_Add(cid, "CIDToGIDMap", map);

    HPDF_Dict tu = HPDF_DictStream_New(mmgr, xref);
    tounicode(tu->stream, e);
    tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;

    HPDF_Dict t0 = HPDF_Dict_New(mmgr);
    HPDF_Xref_Add(xref, t0);
    HPDF_Dict_AddName(t0, "Type", "Font");
    HPDF_Dict_AddName(t0, "Subtype", "Type0");
    HPDF_Dict_AddName(t0, "BaseFont", base);
    HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    HPDF_Array desc = HPDF_Array_New(mmgr);
    HPDF_Array_Add(desc, cid);
    HPDF_Dict_Add(t0, "DescendantFonts", desc);
    HPDF_Dict_Add(t0, "ToUnicode", tu);
    return t0;
}

/* ---- page content, written as operators ---- */

/* Numbers with at most three decimals and no trailing zeros (printf is slow for the
 * hundred thousand numbers of a long document). */
static void num(nc_buf *b, double v)
{
    char s[32];
    int n = 0;
    long long m = llround(v * 1000);
    if (m < 0) {
        s[n++] = '-';
        m = -m;
    }
    long long ip = m / 1000;
    int fp = (int)(m % 1000);
    char digits[24];
    int k = 0;
    do {
        digits[k++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip && k < 20);
    while (k)
        s[n++] = digits[--k];
    if (fp) {
        s[n++] = '.';
        s[n++] = (char)('0' + fp / 100);
        s[n++] = (char)('0' + fp / 10 % 10);
        s[n++] = (char)('0' + fp % 10);
        while (s[n - 1] == '0')
            n--;
    }
    if (n == 2 && s[0] == '-' && s[1] == '0')
        n = 1, s[0] = '0';
    s[n++] = ' ';
    nc_buf_put(b, s, (size_t)n);
}

static void color(nc_buf *b, uint32_t c, const char *op)
{
    num(b, ((c >> 16) & 255) / 255.0);
    num(b, ((c >> 8) & 255) / 255.0);
    num(b, (c & 255) / 255.0);
    nc_buf_puts(b, op);
    nc_buf_putc(b, '\n');
}

/* The graphics state the content has set so far: Tc, Tr and colours persist across BT/ET,
 * so each is written only when it changes. */
typedef struct gstate {
    int font;
    double size, tc, lw;
    int tr;
    int64_t fill, stroke;
} gstate;

static void set_fill(nc_buf *b, gstate *g, uint32_t c)
{
    if (g->fill != (int64_t)c) {
        color(b, c, "rg");
        g->fill = c;
    }
}

static void set_stroke(nc_buf *b, gstate *g, uint32_t c)
{
    if (g->stroke != (int64_t)c) {
        color(b, c, "RG");
        g->stroke = c;
    }
}

static void set_width(nc_buf *b, gstate *g, double w)
{
    if (g->lw != w) {
        num(b, w);
        nc_buf_puts(b, "w\n");
        g->lw = w;
    }
}

static void content_text(nc_buf *b, gstate *g, const nc_op *o, const efont *e, int fontno)
{
    static const char hex[] = "0123456789ABCDEF";
    set_fill(b, g, o->color);
    bool bold = o->flags & NC_RUN_FAKE_BOLD;
    if (bold) {
        /* a synthetic bold: the outline stroked in the fill colour */
        set_stroke(b, g, o->color);
        set_width(b, g, o->size * 0.035);
    }
    nc_buf_puts(b, "BT\n");
    if (g->font != fontno || g->size != o->size) {
        nc_buf_printf(b, "/F%d ", fontno);
        num(b, o->size);
        nc_buf_puts(b, "Tf\n");
        g->font = fontno;
        g->size = o->size;
    }
    if (g->tc != o->char_space) {
        num(b, o->char_space);
        nc_buf_puts(b, "Tc\n");
        g->tc = o->char_space;
    }
    if (g->tr != (bold ? 2 : 0)) {
        nc_buf_puts(b, bold ? "2 Tr\n" : "0 Tr\n");
        g->tr = bold ? 2 : 0;
    }
    /* a synthetic italic slants by about 12 degrees */
    nc_buf_puts(b, "1 0 ");
    num(b, (o->flags & NC_RUN_FAKE_ITALIC) ? 0.21 : 0);
    nc_buf_puts(b, "1 ");
    num(b, o->x);
    num(b, o->y);
    nc_buf_puts(b, "Tm\n<");
    for (size_t i = 0; i < o->len;) {
        int32_t cp;
        int k = nc_utf8_decode(o->text + i, o->len - i, &cp);
        i += k ? (size_t)k : 1;
        uint16_t gl = cp >= 0 && cp <= 0xFFFF ? e->cid_of_cp[cp] : 0;
        nc_buf_putc(b, hex[gl >> 12]);
        nc_buf_putc(b, hex[(gl >> 8) & 15]);
        nc_buf_putc(b, hex[(gl >> 4) & 15]);
        nc_buf_putc(b, hex[gl & 15]);
    }
    nc_buf_puts(b, "> Tj\nET\n");
}

static void content(nc_buf *b, const nc_layout *l, const nc_page *pg, efont *ef, int nef)
{
    /* the initial state of a page: black, 1-unit lines, no spacing, fill mode */
    gstate g = {-1, 0, 0, 1, 0, 0, 0};
    for (size_t i = 0; i < pg->n; i++) {
        const nc_op *o = &pg->ops[i];
        switch (o->kind) {
        case NC_OP_TEXT: {
            const efont *e = efont_of(ef, nef, l->fonts[o->font]);
            content_text(b, &g, o, e, (int)(e - ef));
            break;
        }
        case NC_OP_RECT:
            set_fill(b, &g, o->color);
            num(b, o->x);
            num(b, o->y);
            num(b, o->w);
            num(b, o->h);
            nc_buf_puts(b, "re f\n");
            break;
        case NC_OP_LINE:
            set_stroke(b, &g, o->color);
            set_width(b, &g, o->size > 0 ? o->size : 0.5);
            num(b, o->x);
            num(b, o->y);
            nc_buf_puts(b, "m\n");
            num(b, o->x + o->w);
            num(b, o->y + o->h);
            nc_buf_puts(b, "l S\n");
            break;
        case NC_OP_IMAGE: {
            /* the matrix turns the image upright as its EXIF orientation says */
            double m[6];
            nc_image_placement(&l->images[o->image], o->x, o->y, o->w, o->h, m);
            nc_buf_puts(b, "q\n");
            for (int k = 0; k < 6; k++)
                num(b, m[k]);
            nc_buf_printf(b, "cm\n/Im%d Do\nQ\n", o->image);
            break;
        }
        case NC_OP_URI:
        case NC_OP_GOTO:
            break;
        }
    }
}

/* Images become XObjects once each: JPEGs as they are (DCT), the rest as 8-bit samples
 * that image.c decoded, with alpha as a soft mask. */
static HPDF_Image load_image(HPDF_Doc pdf, const nc_image *im)
{
    if (im->kind == NC_IMG_JPEG) {
        HPDF_Image img = HPDF_LoadJpegImageFromMem(pdf, im->data, (HPDF_UINT)im->len);
        /* libharu gives every CMYK JPEG an inverting /Decode, which only Adobe's (inverted)
         * files want */
        if (img && im->components == 4 && !im->adobe_inverted)
            HPDF_Dict_RemoveElement(img, "Decode");
        return img;
    }
    HPDF_Image img = HPDF_LoadRawImageFromMem(
        pdf, im->data, im->width, im->height,
        im->components == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
    if (img && im->alpha) {
        HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf, im->alpha, im->width, im->height,
                                                   HPDF_CS_DEVICE_GRAY, 8);
        if (mask)
            HPDF_Image_AddSMask(img, mask);
    }
    return img;
}

/* Document info strings are written as UTF-16 through the UTF-8 encoder. */
static void info(HPDF_Doc pdf, HPDF_InfoType type, nc_doc *doc, const char *key)
{
    nc_meta *m = nc_meta_get(nc_doc_meta(doc), key);
    if (!m)
        return;
    nc_buf b = NC_BUF_INIT;
    nc_meta_text(m, &b);
    /* characters outside the BMP cannot go through libharu's UCS-2 encoder */
    nc_buf clean = NC_BUF_INIT;
    for (size_t i = 0; i < b.len;) {
        int32_t cp;
        int k = nc_utf8_decode(b.ptr + i, b.len - i, &cp);
        nc_utf8_encode(&clean, cp > 0xFFFF || !k ? 0xFFFD : cp);
        i += k ? (size_t)k : 1;
    }
    if (clean.len)
        HPDF_SetInfoAttr(pdf, type, clean.ptr);
    nc_buf_free(&b);
    nc_buf_free(&clean);
}

/* CreationDate: the note's date (YYYY-MM-DD[THH:MM:SS]), else SOURCE_DATE_EPOCH; none
 * otherwise, so that output stays reproducible. */
static void creation_date(HPDF_Doc pdf, nc_doc *doc)
{
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    d.ind = 'Z';
    nc_meta *m = nc_meta_get(nc_doc_meta(doc), "date");
    nc_buf b = NC_BUF_INIT;
    if (m)
        nc_meta_text(m, &b);
    int y, mo, da, h = 0, mi = 0, s = 0;
    if (b.len && sscanf(b.ptr, "%4d-%2d-%2d", &y, &mo, &da) == 3) {
        const char *t = strpbrk(b.ptr, "T ");
        if (t)
            sscanf(t + 1, "%2d:%2d:%2d", &h, &mi, &s);
    } else {
        const char *e = getenv("SOURCE_DATE_EPOCH");
        if (!e || !*e) {
            nc_buf_free(&b);
            return;
        }
        time_t t = (time_t)strtoll(e, NULL, 10);
        struct tm tm;
        gmtime_r(&t, &tm);
        y = tm.tm_year + 1900;
        mo = tm.tm_mon + 1;
        da = tm.tm_mday;
        h = tm.tm_hour;
        mi = tm.tm_min;
        s = tm.tm_sec;
    }
    nc_buf_free(&b);
    if (y < 1 || mo < 1 || mo > 12 || da < 1 || da > 31 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || s < 0 || s > 59)
        return;
    d.year = y;
    d.month = mo;
    d.day = da;
    d.hour = h;
    d.minutes = mi;
    d.seconds = s;
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, d);
}

int nc_pdf_render(const nc_layout *l, nc_doc *doc, nc_buf *out, nc_diag *diag)
{
    ctx c = {diag, 0, 0};
    /* libharu's objects on huge pages (pdfmem.c), freed with the document */
    nc_pdfmem_begin();
    HPDF_Doc pdf = HPDF_NewEx(on_error, nc_pdfmem_alloc, nc_pdfmem_free, 0, &c);
    if (!pdf) {
        nc_pdfmem_end();
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "cannot start a PDF (libharu)");
        return -1;
    }
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_SetPageMode(pdf, l->nmarks ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);

    /* the faces in use, and the glyphs of each that the pages draw */
    int rc = 0;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
    efont ef[NC_F_COUNT];
    int nef = 0;
    memset(ef, 0, sizeof ef);
    for (int i = 0; i < NC_F_COUNT; i++) {
        if (!l->fonts[i] || efont_of(ef, nef, l->fonts[i]))
            continue;
        efont *e = &ef[nef++];
        e->font = l->fonts[i];
        e->nglyphs = nc_font_num_glyphs(e->font);
        e->used = nc_xcalloc(e->nglyphs ? e->nglyphs : 1, 1);
        e->cid_of_cp = nc_xcalloc(65536, sizeof *e->cid_of_cp);
        e->cp_of_cid = nc_xmalloc(sizeof *e->cp_of_cid);
        e->cp_of_cid[0] = 0;
        e->ncid = 1;
    }
    for (size_t k = 0; k < l->npages; k++)
        for (size_t i = 0; i < l->pages[k].n; i++) {
            const nc_op *o = &l->pages[k].ops[i];
            if (o->kind != NC_OP_TEXT)
                continue;
            efont *e = efont_of(ef, nef, l->fonts[o->font]);
            if (!e) {
                nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                               "internal error: text in font slot %d, which has no face",
                               o->font);
                rc = -1;
                goto fail;
            }
            for (size_t j = 0; j < o->len;) {
                int32_t cp;
                int n = nc_utf8_decode(o->text + j, o->len - j, &cp);
                j += n ? (size_t)n : 1;
                uint16_t g = nc_font_glyph(e->font, (uint32_t)cp);
                if (g < e->nglyphs && cp > 0 && cp <= 0xFFFF && !e->cid_of_cp[cp]) {
                    e->used[g] = 1;
                    if (e->ncid < 65535) {
                        e->cp_of_cid = nc_xrealloc(e->cp_of_cid,
                                                   (e->ncid + 1) * sizeof *e->cp_of_cid);
                        e->cp_of_cid[e->ncid] = (uint32_t)cp;
                        e->cid_of_cp[cp] = (uint16_t)e->ncid++;
                    }
                }
            }
        }
    for (int i = 0; i < nef && rc == 0; i++) {
        /* a face that draws nothing is not embedded */
        bool any = false;
        for (unsigned g = 0; g < ef[i].nglyphs && !any; g++)
            any = ef[i].used[g];
        if (!any)
            continue;
        if (nc_subset_make(ef[i].font, ef[i].used, &ef[i].sub, diag) != 0)
            rc = -1;
        else
            ef[i].type0 = embed(pdf, &ef[i], z);
    }
    if (rc != 0)
        goto fail;

    HPDF_Image *images = nc_xcalloc(l->nimages ? l->nimages : 1, sizeof *images);
    for (size_t i = 0; i < l->nimages; i++) {
        images[i] = load_image(pdf, &l->images[i]);
        if (!images[i]) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL, "libharu cannot embed the image %s",
                           l->image_paths[i]);
            free(images);
            rc = -1;
            goto fail;
        }
    }

    /* libharu's object table grows by a fixed 1,024 entries, copying itself each time: with
       100,000 footnotes (two links and a destination each) that was most of the run. Its step
       is set to what this document will need: pages, link annotations with their
       destinations, bookmarks. */
    size_t objects = 64 + 4 * l->npages + 3 * l->nmarks;
    for (size_t k = 0; k < l->npages; k++)
        for (size_t i = 0; i < l->pages[k].n; i++)
            if (l->pages[k].ops[i].kind == NC_OP_URI || l->pages[k].ops[i].kind == NC_OP_GOTO)
                objects += 3;
    if (objects > pdf->xref->entries->items_per_block && objects < UINT32_MAX)
        pdf->xref->entries->items_per_block = (HPDF_UINT)objects;
    HPDF_Page *pages = nc_xcalloc(l->npages ? l->npages : 1, sizeof *pages);
    nc_buf ops = NC_BUF_INIT;
    for (size_t k = 0; k < l->npages; k++) {
        HPDF_Page p = pages[k] = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(p, (HPDF_REAL)l->page_w);
        HPDF_Page_SetHeight(p, (HPDF_REAL)l->page_h);
        HPDF_Dict res = HPDF_Dict_GetItem(p, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict fonts = HPDF_Dict_New(pdf->mmgr);
        HPDF_Dict_Add(res, "Font", fonts);
        for (int i = 0; i < nef; i++) {
            if (!ef[i].type0)
                continue;
            char key[16];
            snprintf(key, sizeof key, "F%d", i);
            HPDF_Dict_Add(fonts, key, ef[i].type0);
        }
        if (l->nimages) {
            HPDF_Dict xo = HPDF_Dict_New(pdf->mmgr);
            HPDF_Dict_Add(res, "XObject", xo);
            for (size_t i = 0; i < l->nimages; i++) {
                char key[24];
                snprintf(key, sizeof key, "Im%zu", i);
                HPDF_Dict_Add(xo, key, images[i]);
            }
        }
        nc_buf_clear(&ops);
        content(&ops, l, &l->pages[k], ef, nef);
        HPDF_PageAttr attr = (HPDF_PageAttr)p->attr;
        put_deflated(z, attr->contents, nc_buf_cstr(&ops), ops.len);
    }
    nc_buf_free(&ops);
    free(images);
    nc_buf uri = NC_BUF_INIT;
    for (size_t k = 0; k < l->npages; k++) {
        HPDF_Page p = pages[k];
        const nc_page *pg = &l->pages[k];
        for (size_t i = 0; i < pg->n; i++) {
            const nc_op *o = &pg->ops[i];
            switch (o->kind) {
            case NC_OP_URI:
            case NC_OP_GOTO: {
                HPDF_Rect r = {(HPDF_REAL)o->x, (HPDF_REAL)o->y, (HPDF_REAL)(o->x + o->w),
                               (HPDF_REAL)(o->y + o->h)};
                HPDF_Annotation a = NULL;
                if (o->kind == NC_OP_GOTO && o->dest_page >= 0 &&
                    (size_t)o->dest_page < l->npages) {
                    HPDF_Destination d = dest_at(pages[o->dest_page], o->dest_y);
                    if (d)
                        a = HPDF_Page_CreateLinkAnnot(p, r, d);
                } else if (o->kind == NC_OP_URI && o->len) {
                    nc_buf_clear(&uri);
                    uri_escape(o->text, o->len, &uri);
                    a = HPDF_Page_CreateURILinkAnnot(p, r, uri.ptr);
                }
                if (a)
                    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
                break;
            }
            default:
                break;
            }
        }
    }
    nc_buf_free(&uri);

    /* bookmarks, nested by heading level */
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
    HPDF_Outline stack[8] = {0};
    int levels[8] = {0};
    int depth = 0;
    for (size_t i = 0; i < l->nmarks; i++) {
        const nc_mark *m = &l->marks[i];
        while (depth > 0 && levels[depth - 1] >= m->level)
            depth--;
        nc_buf t = NC_BUF_INIT;
        for (const char *s = m->title; *s;) {
            int32_t cp;
            int k = nc_utf8_decode(s, strlen(s), &cp);
            nc_utf8_encode(&t, cp > 0xFFFF || !k ? 0xFFFD : cp);
            s += k ? k : 1;
        }
        HPDF_Outline o = HPDF_CreateOutline(pdf, depth ? stack[depth - 1] : NULL,
                                            t.len ? t.ptr : " ", enc);
        nc_buf_free(&t);
        if (!o)
            continue;
        if (m->page >= 0 && (size_t)m->page < l->npages) {
            HPDF_Destination d = dest_at(pages[m->page], m->y);
            if (d)
                HPDF_Outline_SetDestination(o, d);
        }
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        if (depth < 8) {
            stack[depth] = o;
            levels[depth] = m->level;
            depth++;
        }
    }
    free(pages);

    info(pdf, HPDF_INFO_TITLE, doc, "title");
    info(pdf, HPDF_INFO_AUTHOR, doc, "author");
    info(pdf, HPDF_INFO_SUBJECT, doc, "description");
    info(pdf, HPDF_INFO_KEYWORDS, doc, "tags");
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "noteconv " NC_VERSION_STRING);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "noteconv " NC_VERSION_STRING " (libharu)");
    creation_date(pdf, doc);

    if (c.error || HPDF_SaveToStream(pdf) != HPDF_OK) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "libharu failed to write the PDF (error 0x%04X, "
                       "detail %u)", (unsigned)c.error, (unsigned)c.detail);
        rc = -1;
    } else {
        HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
        nc_buf_grow(out, size);
        HPDF_UINT32 n = size;
        if (HPDF_ReadFromStream(pdf, (HPDF_BYTE *)out->ptr + out->len, &n) != HPDF_OK &&
            n != size) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL, "cannot read the PDF back from libharu");
            rc = -1;
        } else {
            out->len += n;
            out->ptr[out->len] = '\0';
        }
    }
fail:
    if (z)
        libdeflate_free_compressor(z);
    for (int i = 0; i < nef; i++) {
        free(ef[i].used);
        free(ef[i].cid_of_cp);
        free(ef[i].cp_of_cid);
        nc_subset_free(&ef[i].sub);
    }
    HPDF_Free(pdf);
    nc_pdfmem_end();
    return rc;
}
