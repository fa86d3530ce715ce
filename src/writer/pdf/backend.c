/* backend.c — draws a finished layout with libharu: the only file that includes hpdf.h.
 * Fonts are embedded as UTF-8 CID fonts with a correct ToUnicode map; links, bookmarks and
 * document info are written; the same layout and metadata always give the same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hpdf.h>
#include <hpdf_objects.h>

#include "backend.h"

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

/* libharu gives a UTF-8 font its encoder's CMap as /ToUnicode, which is no ToUnicode CMap
 * (it uses begincidrange, and poppler rejects it). Replace its contents with an identity
 * bfrange map: with Identity-H and UTF-8 encoding, each code is the character's UCS-2 value. */
static void fix_tounicode(HPDF_Font font)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream)
        return;
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Dict_RemoveElement(tu, "Type");
    HPDF_Dict_RemoveElement(tu, "CMapName");
    HPDF_Dict_RemoveElement(tu, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(tu, "WMode");
    HPDF_Stream s = tu->stream;
    HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
                            "12 dict begin\nbegincmap\n"
                            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* a bfrange may not cross its first byte: one range per high byte, surrogates left out */
    char line[64];
    int n = 0;
    for (int hi = 0; hi < 256; hi++) {
        if (hi >= 0xD8 && hi <= 0xDF)
            continue;
        if (n % 100 == 0) {
            int left = 0;
            for (int h = hi; h < 256; h++)
                left += !(h >= 0xD8 && h <= 0xDF);
            snprintf(line, sizeof line, "%d beginbfrange\n", left < 100 ? left : 100);
            HPDF_Stream_WriteStr(s, line);
        }
        snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
        HPDF_Stream_WriteStr(s, line);
        n++;
        if (n % 100 == 0 || hi == 255)
            HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
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

static void rgb_fill(HPDF_Page p, uint32_t c)
{
    HPDF_Page_SetRGBFill(p, (HPDF_REAL)((c >> 16) & 255) / 255, (HPDF_REAL)((c >> 8) & 255) / 255,
                         (HPDF_REAL)(c & 255) / 255);
}

static void rgb_stroke(HPDF_Page p, uint32_t c)
{
    HPDF_Page_SetRGBStroke(p, (HPDF_REAL)((c >> 16) & 255) / 255,
                           (HPDF_REAL)((c >> 8) & 255) / 255, (HPDF_REAL)(c & 255) / 255);
}

static void draw_text(HPDF_Page p, HPDF_Font f, const nc_op *o)
{
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, (HPDF_REAL)o->size);
    rgb_fill(p, o->color);
    HPDF_Page_SetCharSpace(p, (HPDF_REAL)o->char_space);
    if (o->flags & NC_RUN_FAKE_BOLD) {
        HPDF_Page_SetTextRenderingMode(p, HPDF_FILL_THEN_STROKE);
        rgb_stroke(p, o->color);
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(o->size * 0.035));
    } else {
        HPDF_Page_SetTextRenderingMode(p, HPDF_FILL);
    }
    /* a synthetic italic slants by about 12 degrees */
    double skew = (o->flags & NC_RUN_FAKE_ITALIC) ? 0.21 : 0;
    HPDF_Page_SetTextMatrix(p, 1, 0, (HPDF_REAL)skew, 1, (HPDF_REAL)o->x, (HPDF_REAL)o->y);
    HPDF_Page_ShowText(p, o->text);
    HPDF_Page_EndText(p);
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
    HPDF_Doc pdf = HPDF_New(on_error, &c);
    if (!pdf) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "cannot start a PDF (libharu)");
        return -1;
    }
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_SetPageMode(pdf, l->nmarks ? HPDF_PAGE_MODE_USE_OUTLINE : HPDF_PAGE_MODE_USE_NONE);

    HPDF_Font fonts[NC_F_COUNT] = {0};
    for (int i = 0; i < NC_F_COUNT; i++) {
        for (int j = 0; j < i && !fonts[i]; j++)
            if (l->fonts[j] == l->fonts[i])
                fonts[i] = fonts[j];
        if (fonts[i])
            continue;
        const char *path = nc_font_path(l->fonts[i]);
        int index = nc_font_index(l->fonts[i]);
        const char *name = strstr(path, ".ttc") || strstr(path, ".TTC")
                               ? HPDF_LoadTTFontFromFile2(pdf, path, (HPDF_UINT)index, HPDF_TRUE)
                               : HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        fonts[i] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
        if (!fonts[i]) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "libharu cannot embed the font %s (error 0x%04X)", path,
                           (unsigned)c.error);
            HPDF_Free(pdf);
            return -1;
        }
        fix_tounicode(fonts[i]);
    }

    HPDF_Page *pages = nc_xcalloc(l->npages ? l->npages : 1, sizeof *pages);
    for (size_t k = 0; k < l->npages; k++) {
        pages[k] = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(pages[k], (HPDF_REAL)l->page_w);
        HPDF_Page_SetHeight(pages[k], (HPDF_REAL)l->page_h);
    }
    nc_buf uri = NC_BUF_INIT;
    for (size_t k = 0; k < l->npages; k++) {
        HPDF_Page p = pages[k];
        const nc_page *pg = &l->pages[k];
        for (size_t i = 0; i < pg->n; i++) {
            const nc_op *o = &pg->ops[i];
            switch (o->kind) {
            case NC_OP_TEXT:
                draw_text(p, fonts[o->font], o);
                break;
            case NC_OP_RECT:
                rgb_fill(p, o->color);
                HPDF_Page_Rectangle(p, (HPDF_REAL)o->x, (HPDF_REAL)o->y, (HPDF_REAL)o->w,
                                    (HPDF_REAL)o->h);
                HPDF_Page_Fill(p);
                break;
            case NC_OP_LINE:
                rgb_stroke(p, o->color);
                HPDF_Page_SetLineWidth(p, (HPDF_REAL)(o->size > 0 ? o->size : 0.5));
                HPDF_Page_MoveTo(p, (HPDF_REAL)o->x, (HPDF_REAL)o->y);
                HPDF_Page_LineTo(p, (HPDF_REAL)(o->x + o->w), (HPDF_REAL)(o->y + o->h));
                HPDF_Page_Stroke(p);
                break;
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

    int rc = 0;
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
    HPDF_Free(pdf);
    return rc;
}
