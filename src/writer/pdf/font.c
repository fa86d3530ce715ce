/* font.c — finds fonts with fontconfig and reads TrueType/TTC files for metrics, coverage,
 * names and raw tables. It trusts no offset in a font file, draws nothing, never includes hpdf.h.
 *
 * Global state: fc_once/fc_ok below. fontconfig's configuration (a scan of its cache) is loaded
 * once per process and only read afterwards; matching is thread-safe since fontconfig 2.10.
 * A loaded nc_font is immutable, so one font may be shared by threads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "writer/pdf/font.h"
#include "writer/pdf/libs.h" /* last: it redirects the libraries' names */

/* Larger than any real font (Noto CJK collections are ~20 MB); guards a bogus path. */
#define MAX_FONT_SIZE ((size_t)256 * 1024 * 1024)
#define TAG(a, b, c, d) \
    ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
/* A sound cmap maps each code point once; more work than this means overlapping ranges made
 * to burn time, so the font is rejected. */
#define MAX_CMAP_WORK 0x40000u

typedef struct table {
    uint32_t tag, off, len;
} table;

typedef struct range {
    uint32_t start, end, gid;
} range;

struct nc_font {
    char *path;
    int index;
    const unsigned char *data;
    bool mapped;
    size_t size;
    table *tables;
    size_t ntables;
    char *family, *psname;
    unsigned upem;
    int bbox[4];
    int ascent, descent, cap_height;
    bool fixed;
    unsigned nglyphs;
    uint16_t *adv;   /* advance of every glyph, so widths need no hmtx walk */
    uint16_t *bmp;   /* 65536 glyph ids: a BMP lookup is one load */
    range *astral;   /* mappings above U+FFFF, sorted by start */
    size_t nastral;
};

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static int16_t s16(const unsigned char *p)
{
    return (int16_t)u16(p);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int err(nc_diag *d, const char *file, const char *fmt, ...) NC_PRINTF(3, 4);
static int err(nc_diag *d, const char *file, const char *fmt, ...)
{
    nc_pos pos = {file, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(d, NC_DIAG_ERROR, file ? &pos : NULL, fmt, ap);
    va_end(ap);
    return -1;
}

/* Bounds-checked: true and the table's bytes when the font has it. */
static bool tab(const nc_font *f, uint32_t tag, const unsigned char **p, size_t *len)
{
    for (size_t i = 0; i < f->ntables; i++) {
        if (f->tables[i].tag == tag) {
            *p = f->data + f->tables[i].off;
            *len = f->tables[i].len;
            return true;
        }
    }
    *p = NULL;
    *len = 0;
    return false;
}

static int directory(nc_font *f, nc_diag *d)
{
    const unsigned char *p = f->data;
    size_t n = f->size, base = 0;
    /* fontconfig puts a variable font's named instance in the high bits; we read the default
     * instance's metrics, which is what libharu embeds too. */
    uint32_t face = (uint32_t)f->index & 0xffff;
    if (n < 12)
        return err(d, f->path, "not a font file (only %zu bytes)", n);
    uint32_t tag = u32(p);
    if (tag == TAG('t', 't', 'c', 'f')) {
        uint32_t num = u32(p + 8);
        if (face >= num || 12 + 4 * (size_t)face + 4 > n)
            return err(d, f->path, "font %u asked for, but the collection has %u", face, num);
        base = u32(p + 12 + 4 * (size_t)face);
        if (base > n || n - base < 12)
            return err(d, f->path, "font %u of the collection lies outside the file", face);
        tag = u32(p + base);
    } else if (face != 0) {
        return err(d, f->path, "font %u asked for, but the file holds one font", face);
    }
    if (tag == TAG('O', 'T', 'T', 'O'))
        return err(d, f->path, "has CFF (PostScript) outlines; the PDF writer can embed only "
                               "TrueType outlines");
    if (tag != 0x00010000 && tag != TAG('t', 'r', 'u', 'e'))
        return err(d, f->path, "not a TrueType font");
    size_t nt = u16(p + base + 4);
    if (nt == 0 || (n - base - 12) / 16 < nt)
        return err(d, f->path, "the table directory is truncated");
    f->tables = nc_xcalloc(nt, sizeof *f->tables);
    f->ntables = nt;
    for (size_t i = 0; i < nt; i++) {
        const unsigned char *r = p + base + 12 + 16 * i;
        table *t = &f->tables[i];
        t->tag = u32(r);
        t->off = u32(r + 8);
        t->len = u32(r + 12);
        if (t->off > n || t->len > n - t->off)
            return err(d, f->path, "table '%c%c%c%c' lies outside the file", r[0], r[1], r[2],
                       r[3]);
    }
    return 0;
}

static int fmt4(nc_font *f, const unsigned char *s, size_t n)
{
    if (n < 16)
        return -1;
    size_t segx2 = u16(s + 6);
    if (segx2 == 0 || segx2 % 2 || 16 + 4 * segx2 > n)
        return -1;
    size_t ends = 14, starts = 16 + segx2, deltas = 16 + 2 * segx2, ranges = 16 + 3 * segx2;
    uint32_t work = 0;
    for (size_t i = 0; i < segx2 / 2; i++) {
        uint32_t end = u16(s + ends + 2 * i), start = u16(s + starts + 2 * i);
        uint16_t delta = u16(s + deltas + 2 * i), ro = u16(s + ranges + 2 * i);
        if (start > end)
            continue;
        work += end - start + 1;
        if (work > MAX_CMAP_WORK)
            return -1;
        for (uint32_t c = start; c <= end; c++) {
            uint32_t g;
            if (ro == 0) {
                g = (c + delta) & 0xffff;
            } else {
                /* idRangeOffset counts from its own slot in the array (the spec's pointer
                 * trick); the glyph index array may run past the subtable's 16-bit length in
                 * large fonts, so the bound is the cmap table's end. */
                size_t at = ranges + 2 * i + ro + 2 * (size_t)(c - start);
                g = at + 2 <= n ? u16(s + at) : 0;
                if (g)
                    g = (g + delta) & 0xffff;
            }
            if (g < f->nglyphs && !f->bmp[c])
                f->bmp[c] = (uint16_t)g;
        }
    }
    return 0;
}

static int by_start(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static int fmt12(nc_font *f, const unsigned char *s, size_t n)
{
    if (n < 16)
        return -1;
    uint32_t ng = u32(s + 12);
    if (ng > (n - 16) / 12)
        return -1;
    uint32_t work = 0;
    f->astral = nc_xcalloc(ng, sizeof *f->astral);
    for (uint32_t i = 0; i < ng; i++) {
        const unsigned char *g = s + 16 + 12 * (size_t)i;
        uint32_t start = u32(g), end = u32(g + 4), gid = u32(g + 8);
        if (start > end || end > 0x10ffff)
            return -1;
        if (gid >= f->nglyphs) /* a stray mapping should not cost the whole font */
            continue;
        for (uint32_t c = start; c <= end && c <= 0xffff; c++) {
            if (++work > MAX_CMAP_WORK)
                return -1;
            uint32_t id = gid + (c - start);
            if (id < f->nglyphs && !f->bmp[c])
                f->bmp[c] = (uint16_t)id;
        }
        if (end > 0xffff) {
            uint32_t from = start > 0xffff ? start : 0x10000;
            f->astral[f->nastral++] = (range){from, end, gid + (from - start)};
        }
    }
    qsort(f->astral, f->nastral, sizeof *f->astral, by_start);
    return 0;
}

/* Unicode subtables only: 3/10 format 12, then 0/x format 12 (both reach beyond the BMP), then
 * 3/1 format 4, then 0/x format 4. */
static int cmap(nc_font *f, nc_diag *d)
{
    const unsigned char *p;
    size_t len;
    if (!tab(f, TAG('c', 'm', 'a', 'p'), &p, &len) || len < 4)
        return err(d, f->path, "has no cmap table");
    size_t n = u16(p + 2);
    if ((len - 4) / 8 < n)
        return err(d, f->path, "the cmap table is truncated");
    int best = 0, fmt = 0;
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *r = p + 4 + 8 * i;
        uint16_t plat = u16(r), enc = u16(r + 2);
        uint32_t o = u32(r + 4);
        if (o > len || len - o < 2)
            continue;
        uint16_t fm = u16(p + o);
        int score = 0;
        if (fm == 12)
            score = plat == 3 && enc == 10 ? 4 : plat == 0 ? 3 : 0;
        else if (fm == 4)
            score = plat == 3 && enc == 1 ? 2 : plat == 0 ? 1 : 0;
        if (score > best) {
            best = score;
            off = o;
            fmt = fm;
        }
    }
    if (!best)
        return err(d, f->path, "has no Unicode cmap (format 4 or 12)");
    f->bmp = nc_xcalloc(0x10000, sizeof *f->bmp);
    if ((fmt == 12 ? fmt12 : fmt4)(f, p + off, len - off) < 0)
        return err(d, f->path, "the cmap format %d subtable is corrupt", fmt);
    return 0;
}

static void put8(nc_buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        nc_buf_putc(b, (int)cp);
    } else if (cp < 0x800) {
        nc_buf_putc(b, (int)(0xc0 | cp >> 6));
        nc_buf_putc(b, (int)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        nc_buf_putc(b, (int)(0xe0 | cp >> 12));
        nc_buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
        nc_buf_putc(b, (int)(0x80 | (cp & 0x3f)));
    } else {
        nc_buf_putc(b, (int)(0xf0 | cp >> 18));
        nc_buf_putc(b, (int)(0x80 | (cp >> 12 & 0x3f)));
        nc_buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3f)));
        nc_buf_putc(b, (int)(0x80 | (cp & 0x3f)));
    }
}

/* A name record as UTF-8 (malloc'd), or NULL. Windows English first, since fontconfig and PDF
 * viewers know fonts by that name; then any Windows or Unicode record; then Mac Roman. */
static char *name(const nc_font *f, uint16_t want)
{
    const unsigned char *p;
    size_t len;
    if (!tab(f, TAG('n', 'a', 'm', 'e'), &p, &len) || len < 6)
        return NULL;
    size_t count = u16(p + 2), so = u16(p + 4);
    if ((len - 6) / 12 < count || so > len)
        return NULL;
    const unsigned char *str = NULL;
    size_t slen = 0;
    int best = 0, bplat = 0;
    for (size_t i = 0; i < count; i++) {
        const unsigned char *r = p + 6 + 12 * i;
        uint16_t plat = u16(r), enc = u16(r + 2), lang = u16(r + 4), id = u16(r + 6);
        size_t l = u16(r + 8), o = u16(r + 10);
        if (id != want || o > len - so || l > len - so - o || l == 0)
            continue;
        int score = 0;
        if (plat == 3 && (enc == 1 || enc == 10 || enc == 0))
            score = lang == 0x409 ? 4 : 3;
        else if (plat == 0)
            score = 2;
        else if (plat == 1 && enc == 0)
            score = 1;
        if (score > best) {
            best = score;
            bplat = plat;
            str = p + so + o;
            slen = l;
        }
    }
    if (!best)
        return NULL;
    nc_buf b = NC_BUF_INIT;
    if (bplat == 1) {
        for (size_t i = 0; i < slen; i++)
            if (str[i])
                nc_buf_putc(&b, str[i] < 0x80 ? str[i] : '?');
    } else {
        for (size_t i = 0; i + 1 < slen; i += 2) {
            uint32_t c = u16(str + i);
            if (c >= 0xd800 && c < 0xdc00 && i + 3 < slen && u16(str + i + 2) >= 0xdc00 &&
                u16(str + i + 2) < 0xe000) {
                c = 0x10000 + ((c - 0xd800) << 10) + (u16(str + i + 2) - 0xdc00);
                i += 2;
            } else if (c >= 0xd800 && c < 0xe000) {
                c = 0xfffd;
            }
            if (c)
                put8(&b, c);
        }
    }
    if (!b.len) {
        nc_buf_free(&b);
        return NULL;
    }
    return nc_buf_detach(&b, NULL);
}

/* The top of a glyph's bounding box, for fonts whose OS/2 table predates sCapHeight. */
static bool glyph_top(const nc_font *f, int loca_long, uint16_t gid, int *top)
{
    const unsigned char *loca, *glyf;
    size_t ll, gl;
    if (!gid || !tab(f, TAG('l', 'o', 'c', 'a'), &loca, &ll) ||
        !tab(f, TAG('g', 'l', 'y', 'f'), &glyf, &gl))
        return false;
    size_t from, to;
    if (loca_long) {
        if ((size_t)gid * 4 + 8 > ll)
            return false;
        from = u32(loca + 4 * (size_t)gid);
        to = u32(loca + 4 * (size_t)gid + 4);
    } else {
        if ((size_t)gid * 2 + 4 > ll)
            return false;
        from = 2 * (size_t)u16(loca + 2 * (size_t)gid);
        to = 2 * (size_t)u16(loca + 2 * (size_t)gid + 2);
    }
    if (to <= from || from > gl || gl - from < 10)
        return false;
    *top = s16(glyf + from + 8);
    return true;
}

static int metrics(nc_font *f, nc_diag *d)
{
    const unsigned char *p;
    size_t len;
    if (!tab(f, TAG('g', 'l', 'y', 'f'), &p, &len) || !tab(f, TAG('l', 'o', 'c', 'a'), &p, &len))
        return err(d, f->path, "has no glyf/loca tables (not TrueType outlines; the PDF writer "
                               "can embed only those)");

    if (!tab(f, TAG('h', 'e', 'a', 'd'), &p, &len) || len < 54)
        return err(d, f->path, "has no valid head table");
    if (u32(p + 12) != 0x5f0f3cf5)
        return err(d, f->path, "the head table has a wrong magic number");
    f->upem = u16(p + 18);
    if (f->upem < 16 || f->upem > 16384)
        return err(d, f->path, "unitsPerEm %u is out of range", f->upem);
    for (int i = 0; i < 4; i++)
        f->bbox[i] = s16(p + 36 + 2 * i);
    int loca_long = s16(p + 50);

    if (!tab(f, TAG('m', 'a', 'x', 'p'), &p, &len) || len < 6)
        return err(d, f->path, "has no valid maxp table");
    f->nglyphs = u16(p + 4);
    if (!f->nglyphs)
        return err(d, f->path, "has no glyphs");

    if (!tab(f, TAG('h', 'h', 'e', 'a'), &p, &len) || len < 36)
        return err(d, f->path, "has no valid hhea table");
    int hasc = s16(p + 4), hdesc = s16(p + 6);
    unsigned nhm = u16(p + 34);
    if (!nhm)
        return err(d, f->path, "hhea says there are no horizontal metrics");
    if (nhm > f->nglyphs)
        nhm = f->nglyphs;

    if (!tab(f, TAG('h', 'm', 't', 'x'), &p, &len) || len / 4 < nhm)
        return err(d, f->path, "the hmtx table is missing or truncated");
    f->adv = nc_xcalloc(f->nglyphs, sizeof *f->adv);
    for (unsigned g = 0; g < f->nglyphs; g++)
        f->adv[g] = g < nhm ? u16(p + 4 * (size_t)g) : f->adv[nhm - 1];

    /* Ascent: the typographic values when the font says they are meant (USE_TYPO_METRICS),
     * else hhea as FreeType and macOS use, else OS/2, else the bounding box. */
    int tasc = 0, tdesc = 0, wasc = 0, wdesc = 0, cap = 0, panose_mono = 0;
    bool use_typo = false, os2 = tab(f, TAG('O', 'S', '/', '2'), &p, &len) && len >= 78;
    if (os2) {
        panose_mono = p[32] == 2 && p[35] == 9;
        use_typo = (u16(p + 62) & 0x80) != 0;
        tasc = s16(p + 68);
        tdesc = s16(p + 70);
        wasc = u16(p + 74);
        wdesc = u16(p + 76);
        if (u16(p) >= 2 && len >= 90)
            cap = s16(p + 88);
    }
    if (use_typo && (tasc || tdesc)) {
        f->ascent = tasc;
        f->descent = tdesc;
    } else if (hasc || hdesc) {
        f->ascent = hasc;
        f->descent = hdesc;
    } else if (tasc || tdesc) {
        f->ascent = tasc;
        f->descent = tdesc;
    } else if (wasc || wdesc) {
        f->ascent = wasc;
        f->descent = -wdesc;
    } else {
        f->ascent = f->bbox[3];
        f->descent = f->bbox[1];
    }
    if (f->descent > 0) /* some old fonts store the depth as a positive number */
        f->descent = -f->descent;
    f->cap_height = cap;

    if (tab(f, TAG('p', 'o', 's', 't'), &p, &len) && len >= 16)
        f->fixed = u32(p + 12) != 0;
    else
        f->fixed = panose_mono;

    if (cmap(f, d) < 0)
        return -1;
    if (f->cap_height <= 0 && !glyph_top(f, loca_long, f->bmp['H'], &f->cap_height))
        f->cap_height = f->ascent * 7 / 10;
    return 0;
}

/* Takes ownership of data (malloc'd, or mapped when mapped is true). */
static nc_font *parse(void *data, size_t size, const char *path, int index, bool mapped,
                      nc_diag *d)
{
    nc_font *f = nc_xcalloc(1, sizeof *f);
    f->mapped = mapped;
    f->path = nc_xstrdup(path);
    f->index = index;
    f->data = data;
    f->size = size;
    if (index < 0) {
        err(d, path, "negative font index %d", index);
        nc_font_free(f);
        return NULL;
    }
    if (directory(f, d) < 0 || metrics(f, d) < 0) {
        nc_font_free(f);
        return NULL;
    }
    f->family = name(f, 16); /* the typographic family groups all weights under one name */
    if (!f->family)
        f->family = name(f, 1);
    f->psname = name(f, 6);
    if (!f->family)
        f->family = nc_xstrdup(f->psname ? f->psname : "");
    if (!f->psname) {
        nc_buf b = NC_BUF_INIT;
        for (const char *s = f->family; *s; s++)
            if (*s != ' ')
                nc_buf_putc(&b, *s);
        f->psname = b.len ? nc_buf_detach(&b, NULL) : nc_xstrdup("Unnamed");
    }
    return f;
}

/* The file is mapped, not read: a Japanese face is 8 MB of which a document touches the
 * cmap, the metrics and the outlines it uses, so reading it all would cost more than the
 * rest of a conversion. (System fonts are not rewritten in place; a package upgrade
 * replaces the file, which leaves our mapping intact.) */
nc_font *nc_font_load(const char *path, int index, nc_diag *diag)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        err(diag, path, "cannot open font: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uintmax_t)st.st_size > MAX_FONT_SIZE ||
        st.st_size == 0) {
        err(diag, path, "not a regular font file of at most %zu MB", MAX_FONT_SIZE >> 20);
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    void *data = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (data == MAP_FAILED) {
        err(diag, path, "cannot read font: %s", strerror(errno));
        return NULL;
    }
    nc_font *f = parse(data, size, path, index, true, diag);
    return f;
}

nc_font *nc_font_load_mem(const void *data, size_t len, const char *name, int index,
                          nc_diag *diag)
{
    unsigned char *copy = nc_xmalloc(len);
    if (len)
        memcpy(copy, data, len);
    return parse(copy, len, name ? name : "(memory)", index, false, diag);
}

void nc_font_free(nc_font *f)
{
    if (!f)
        return;
    free(f->path);
    if (f->mapped)
        munmap((void *)f->data, f->size);
    else
        free((void *)f->data);
    free(f->tables);
    free(f->family);
    free(f->psname);
    free(f->adv);
    free(f->bmp);
    free(f->astral);
    free(f);
}

const char *nc_font_path(const nc_font *f)
{
    return f->path;
}

int nc_font_index(const nc_font *f)
{
    return f->index;
}

const char *nc_font_family(const nc_font *f)
{
    return f->family;
}

const char *nc_font_psname(const nc_font *f)
{
    return f->psname;
}

unsigned nc_font_units_per_em(const nc_font *f)
{
    return f->upem;
}

int nc_font_ascent(const nc_font *f)
{
    return f->ascent;
}

int nc_font_descent(const nc_font *f)
{
    return f->descent;
}

int nc_font_cap_height(const nc_font *f)
{
    return f->cap_height;
}

bool nc_font_is_fixed_pitch(const nc_font *f)
{
    return f->fixed;
}

void nc_font_bbox(const nc_font *f, int bbox[4])
{
    memcpy(bbox, f->bbox, sizeof f->bbox);
}

unsigned nc_font_num_glyphs(const nc_font *f)
{
    return f->nglyphs;
}

uint16_t nc_font_glyph(const nc_font *f, uint32_t cp)
{
    if (cp < 0x10000)
        return f->bmp[cp];
    size_t lo = 0, hi = f->nastral;
    while (lo < hi) { /* the last range starting at or below cp */
        size_t mid = lo + (hi - lo) / 2;
        if (f->astral[mid].start <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || cp > f->astral[lo - 1].end)
        return 0;
    uint32_t g = f->astral[lo - 1].gid + (cp - f->astral[lo - 1].start);
    return g < f->nglyphs ? (uint16_t)g : 0;
}

unsigned nc_font_advance(const nc_font *f, uint16_t gid)
{
    return gid < f->nglyphs ? f->adv[gid] : 0;
}

double nc_font_width(const nc_font *f, uint32_t cp, double size)
{
    uint16_t g = nc_font_glyph(f, cp);
    return g ? f->adv[g] * size / f->upem : 0;
}

const unsigned char *nc_font_table(const nc_font *f, const char *tag, size_t *len)
{
    const unsigned char *p;
    size_t n;
    if (strlen(tag) != 4 || !tab(f, TAG(tag[0], tag[1], tag[2], tag[3]), &p, &n)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = n;
    return p;
}

const unsigned char *nc_font_data(const nc_font *f, size_t *len)
{
    *len = f->size;
    return f->data;
}

/* ---- fontconfig ---- */

static pthread_once_t fc_once = PTHREAD_ONCE_INIT;
static bool fc_ok;

static void fc_start(void)
{
    fc_ok = FcInit() == FcTrue;
}

static bool has_ci(const char *s, const char *needle)
{
    for (size_t n = strlen(needle); *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return true;
    return false;
}

/* The Debian package that ships a well-known family, or NULL. */
static const char *package(const char *family)
{
    if (strncasecmp(family, "IPAex", 5) == 0)
        return "fonts-ipaexfont";
    if (strncasecmp(family, "IPA", 3) == 0)
        return "fonts-ipafont";
    if (strncasecmp(family, "DejaVu", 6) == 0)
        return "fonts-dejavu";
    if (strncasecmp(family, "Liberation", 10) == 0)
        return "fonts-liberation2";
    if (strncasecmp(family, "Noto", 4) == 0 && has_ci(family, "CJK"))
        return "fonts-noto-cjk";
    return NULL;
}

/* Family names compare as fontconfig compares them: blind to case and spaces. */
static bool same_family(const char *a, const char *b)
{
    for (;; a++, b++) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

/* Ordered from the worst miss to a match. */
enum { WRONG_FAMILY, WRONG_LANG, NOT_TRUETYPE, OK };

/* Whether fontconfig's candidate will do: the family asked for, the language when no family
 * was named, TrueType outlines. */
static int judge(FcPattern *font, const char *family, const char *lang)
{
    FcChar8 *s;
    if (family) {
        bool same = false;
        for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &s) == FcResultMatch; i++)
            if (same_family((const char *)s, family))
                same = true;
        if (!same)
            return WRONG_FAMILY;
    } else if (lang) {
        FcLangSet *ls;
        if (FcPatternGetLangSet(font, FC_LANG, 0, &ls) != FcResultMatch ||
            FcLangSetHasLang(ls, (const FcChar8 *)lang) == FcLangDifferentLang)
            return WRONG_LANG;
    }
    FcBool outline;
    if (FcPatternGetBool(font, FC_OUTLINE, 0, &outline) == FcResultMatch && !outline)
        return NOT_TRUETYPE;
    if (FcPatternGetString(font, FC_FONTFORMAT, 0, &s) == FcResultMatch)
        return strcmp((const char *)s, "TrueType") == 0 ? OK : NOT_TRUETYPE;
    if (FcPatternGetString(font, FC_FILE, 0, &s) != FcResultMatch)
        return NOT_TRUETYPE;
    size_t n = strlen((const char *)s);
    return n > 4 && (strcasecmp((const char *)s + n - 4, ".ttf") == 0 ||
                     strcasecmp((const char *)s + n - 4, ".ttc") == 0)
               ? OK
               : NOT_TRUETYPE;
}

static int take(FcPattern *font, char **path, int *index)
{
    FcChar8 *file;
    int idx = 0;
    if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch)
        return -1;
    FcPatternGetInteger(font, FC_INDEX, 0, &idx);
    *path = nc_xstrdup((const char *)file);
    *index = idx;
    return 0;
}

/* The faces noteconv asks for by default, where Debian's packages put them. Starting
 * fontconfig (reading its configuration and the caches of every font folder) takes longer
 * than the rest of a conversion, so these are taken from their files when they are there;
 * any other family, or a machine that keeps them elsewhere, goes through fontconfig. */
static const struct known {
    const char *family;
    signed char bold, italic; /* -1: any (the family has one face) */
    const char *file;
} known[] = {
    {"IPAexMincho", -1, -1, "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"},
    {"IPAexGothic", -1, -1, "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"},
    {"DejaVu Serif", 0, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"},
    {"DejaVu Serif", 1, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"},
    {"DejaVu Serif", 0, 1, "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf"},
    {"DejaVu Serif", 1, 1, "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf"},
    {"DejaVu Sans", 0, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
    {"DejaVu Sans", 1, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
    {"DejaVu Sans", 0, 1, "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"},
    {"DejaVu Sans", 1, 1, "/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf"},
    {"DejaVu Sans Mono", 0, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"},
    {"DejaVu Sans Mono", 1, 0, "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"},
    {"DejaVu Sans Mono", 0, 1, "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Oblique.ttf"},
    {"DejaVu Sans Mono", 1, 1,
     "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-BoldOblique.ttf"},
};

static const char *known_file(const char *family, bool bold, bool italic)
{
    if (!family)
        return NULL;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        const struct known *k = &known[i];
        if (!same_family(k->family, family) || (k->bold >= 0 && k->bold != bold) ||
            (k->italic >= 0 && k->italic != italic))
            continue;
        struct stat st;
        return stat(k->file, &st) == 0 && S_ISREG(st.st_mode) ? k->file : NULL;
    }
    return NULL;
}

int nc_font_find(const char *family, const char *lang, bool bold, bool italic, bool mono,
                 char **path, int *index, nc_diag *diag)
{
    *path = NULL;
    *index = 0;
    if (family && !*family)
        family = NULL;
    if (lang && !*lang)
        lang = NULL;
    const char *file = known_file(family, bold, italic);
    if (file) {
        *path = nc_xstrdup(file);
        return 0;
    }
    pthread_once(&fc_once, fc_start);
    if (!fc_ok)
        return err(diag, NULL, "fontconfig could not load its configuration");

    FcPattern *pat = FcPatternCreate();
    if (family)
        FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    else if (mono)
        FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"monospace");
    if (lang) {
        FcLangSet *ls = FcLangSetCreate();
        FcLangSetAdd(ls, (const FcChar8 *)lang);
        FcPatternAddLangSet(pat, FC_LANG, ls);
        FcLangSetDestroy(ls);
    }
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    if (mono)
        FcPatternAddInteger(pat, FC_SPACING, FC_MONO);
    FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);

    FcResult res;
    int verdict = WRONG_FAMILY, rc = -1;
    FcPattern *best = FcFontMatch(NULL, pat, &res);
    if (best) {
        verdict = judge(best, family, lang);
        if (verdict == OK)
            rc = take(best, path, index);
        FcPatternDestroy(best);
    }
    /* The best match may be a CFF face (libharu embeds only glyf outlines) or lack the
     * language; the sorted list has the runners-up. */
    if (rc < 0) {
        FcFontSet *set = FcFontSort(NULL, pat, FcFalse, NULL, &res);
        for (int i = 0; set && i < set->nfont && rc < 0; i++) {
            int v = judge(set->fonts[i], family, lang);
            if (v == OK)
                rc = take(set->fonts[i], path, index);
            else if (v > verdict) /* the nearest miss explains the failure best */
                verdict = v;
        }
        if (set)
            FcFontSetDestroy(set);
    }
    FcPatternDestroy(pat);
    if (rc == 0)
        return 0;

    const char *what = family ? family : mono ? "monospace" : "default";
    const char *pkg = package(family ? family : lang && strcmp(lang, "ja") == 0 ? "IPAex" : "");
    if (verdict == NOT_TRUETYPE)
        return err(diag, NULL, "font '%s'%s%s is installed only with CFF (PostScript) outlines, "
                               "which the PDF writer cannot embed; install a TrueType version",
                   what, !family && lang ? " for language " : "", !family && lang ? lang : "");
    if (verdict == WRONG_LANG)
        return err(diag, NULL, "no installed TrueType font supports the language '%s' (%s%s)",
                   lang, pkg ? "install the Debian package " : "install a font for it",
                   pkg ? pkg : "");
    if (pkg)
        return err(diag, NULL, "font '%s' is not installed (install the Debian package %s)", what,
                   pkg);
    return err(diag, NULL, "font '%s' is not installed (install a package that provides it)",
               what);
}
