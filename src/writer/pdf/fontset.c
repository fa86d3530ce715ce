/* fontset.c — the fonts of one PDF: which face fills each slot (from -V mainfont, CJKmainfont,
 * sansfont, monofont, CJKsansfont, or defaults by language), and which slot draws each
 * character, falling back along a chain. Metrics only: nothing here draws. */
#include <stdlib.h>
#include <string.h>

#include "layout_int.h"


static nc_font *load(lay *L, const want *w, nc_diag *diag)
{
    char *path = NULL;
    int index = 0;
    if (nc_font_find(w->family, w->lang, w->bold, w->italic, w->mono, &path, &index, diag) != 0)
        return NULL;
    /* faces already loaded are shared between slots */
    for (int i = 0; i < NC_F_COUNT; i++) {
        nc_font *f = L->out->fonts[i];
        if (f && strcmp(nc_font_path(f), path) == 0 && nc_font_index(f) == index) {
            free(path);
            return f;
        }
    }
    nc_font *f = nc_font_load(path, index, diag);
    free(path);
    return f;
}

static const char *var(const lay *L, const nc_options *opt, const char *name)
{
    const char *v = nc_options_var(opt, name);
    if (v)
        return v;
    nc_meta *m = nc_meta_get(nc_doc_meta(L->doc), name);
    return m && m->kind == NC_META_STRING ? m->str : NULL;
}

int lay_fonts(lay *L, const nc_options *opt, nc_diag *diag)
{
    const char *cjk = var(L, opt, "CJKmainfont");
    const char *cjksans = var(L, opt, "CJKsansfont");
    const char *main = var(L, opt, "mainfont");
    const char *sans = var(L, opt, "sansfont");
    const char *mono = var(L, opt, "monofont");
    /* Japanese body text is Gothic by default: the notes are read on screens, where Gothic is
     * the norm (the blog they come from shows them in a sans-serif face), and Gothic kanji
     * have about a third fewer outline points than Mincho's, so a note's embedded subset is
     * a third smaller. -V CJKmainfont=IPAexMincho gives the book look. */
    if (!cjk)
        cjk = "IPAexGothic";
    if (!cjksans)
        cjksans = "IPAexGothic";
    /* Japanese notes set their Latin text in the Japanese face too, whose Latin letters are
     * drawn to sit with its kana; bold Japanese is Gothic, as Japanese typesetting has it */
    if (!main)
        main = L->ja ? cjk : "DejaVu Serif";
    if (!sans)
        sans = L->ja ? cjksans : "DejaVu Sans";
    if (!mono)
        mono = "DejaVu Sans Mono";
    bool main_is_cjk = L->ja && !var(L, opt, "mainfont");
    want w[NC_F_COUNT] = {
        [NC_F_MAIN] = {main, false, false, false, NULL},
        [NC_F_MAIN_B] = {main_is_cjk ? cjksans : main, !main_is_cjk, false, false, NULL},
        [NC_F_MAIN_I] = {main, false, true, false, NULL},
        [NC_F_MAIN_BI] = {main_is_cjk ? cjksans : main, !main_is_cjk, true, false, NULL},
        [NC_F_SANS] = {sans, false, false, false, NULL},
        [NC_F_SANS_B] = {sans, true, false, false, NULL},
        [NC_F_MONO] = {mono, false, false, true, NULL},
        [NC_F_MONO_B] = {mono, true, false, true, NULL},
        [NC_F_CJK] = {cjk, false, false, false, "ja"},
        [NC_F_CJK_SANS] = {cjksans, false, false, false, "ja"},
        [NC_F_SYMBOL] = {"DejaVu Sans", false, false, false, NULL},
    };
    memcpy(L->want, w, sizeof w);
    /* the main face is needed by any text; the others are found when first used */
    L->out->fonts[NC_F_MAIN] = load(L, &L->want[NC_F_MAIN], diag);
    return L->out->fonts[NC_F_MAIN] ? 0 : -1;
}

nc_font *lay_font(lay *L, int slot)
{
    nc_font *f = L->out->fonts[slot];
    if (f)
        return f;
    /* a face asked for in the same way as another slot's is that slot's */
    const want *w = &L->want[slot];
    for (int i = 0; i < NC_F_COUNT && !f; i++) {
        const want *o = &L->want[i];
        if (L->out->fonts[i] && strcmp(o->family, w->family) == 0 && o->bold == w->bold &&
            o->italic == w->italic && o->mono == w->mono &&
            (o->lang ? w->lang && strcmp(o->lang, w->lang) == 0 : !w->lang))
            f = L->out->fonts[i];
    }
    if (!f)
        f = load(L, w, L->diag);
    if (!f) {
        /* reported; the layout goes on so that every missing face is named, then fails */
        L->failed = true;
        f = L->out->fonts[NC_F_MAIN];
    }
    return L->out->fonts[slot] = f;
}

/* The regular face of each slot's family: a styled slot holding the same face as its
 * regular one has no real bold or italic, so the backend synthesises them. */
static const int regular_of[NC_F_COUNT] = {
    [NC_F_MAIN] = NC_F_MAIN,       [NC_F_MAIN_B] = NC_F_MAIN, [NC_F_MAIN_I] = NC_F_MAIN,
    [NC_F_MAIN_BI] = NC_F_MAIN,    [NC_F_SANS] = NC_F_SANS,   [NC_F_SANS_B] = NC_F_SANS,
    [NC_F_MONO] = NC_F_MONO,       [NC_F_MONO_B] = NC_F_MONO, [NC_F_CJK] = NC_F_CJK,
    [NC_F_CJK_SANS] = NC_F_CJK_SANS, [NC_F_SYMBOL] = NC_F_SYMBOL,
};

static bool real_bold(lay *L, int slot)
{
    if (slot == NC_F_MAIN_B && lay_font(L, NC_F_MAIN_B) != lay_font(L, NC_F_MAIN) &&
        lay_font(L, NC_F_MAIN_B) == lay_font(L, NC_F_CJK_SANS))
        return false; /* Gothic standing in for bold Mincho (-V CJKmainfont): still drawn heavier */
    if (slot != NC_F_MAIN_B && slot != NC_F_MAIN_BI && slot != NC_F_SANS_B && slot != NC_F_MONO_B)
        return false;
    return lay_font(L, slot) != lay_font(L, regular_of[slot]);
}

static bool real_italic(lay *L, int slot)
{
    if (slot != NC_F_MAIN_I && slot != NC_F_MAIN_BI)
        return false;
    const nc_font *f = lay_font(L, slot);
    return f != lay_font(L, NC_F_MAIN) && f != lay_font(L, NC_F_MAIN_B) &&
           f != lay_font(L, NC_F_CJK_SANS);
}

unsigned lay_fake(lay *L, unsigned style, int slot)
{
    unsigned f = 0;
    if ((style & S_BOLD) && !real_bold(L, slot))
        f |= NC_RUN_FAKE_BOLD;
    if ((style & S_ITALIC) && !real_italic(L, slot))
        f |= NC_RUN_FAKE_ITALIC;
    return f;
}

static int face_slot(unsigned style)
{
    bool b = style & S_BOLD, i = style & S_ITALIC;
    if (style & S_MONO)
        return b ? NC_F_MONO_B : NC_F_MONO;
    if (style & S_SANS)
        return b ? NC_F_SANS_B : NC_F_SANS;
    if (b && i)
        return NC_F_MAIN_BI;
    return b ? NC_F_MAIN_B : i ? NC_F_MAIN_I : NC_F_MAIN;
}

static int choose(lay *L, unsigned style, uint32_t cp)
{
    int face = face_slot(style);
    int cjk = (style & (S_BOLD | S_SANS | S_MONO)) ? NC_F_CJK_SANS : NC_F_CJK;
    /* East Asian characters (and, in Japanese text, the punctuation and symbols around them)
     * come from the Japanese face so that their widths and shapes agree */
    bool prefer_cjk = nc_is_east_asian((int32_t)cp) || (L->ja && cp >= 0x2010 && cp < 0x2E80);
    int chain[5] = {prefer_cjk ? cjk : face, prefer_cjk ? face : cjk, NC_F_SYMBOL,
                    NC_F_CJK_SANS, NC_F_MONO};
    for (int k = 0; k < 5; k++)
        if (nc_font_glyph(lay_font(L, chain[k]), cp))
            return chain[k];
    return -1;
}

int lay_pick(lay *L, unsigned style, uint32_t cp)
{
    /* libharu encodes UTF-8 for the BMP only: what lies beyond it cannot be drawn */
    if (cp > 0xFFFF)
        return -1;
    /* per face style, a block of 256 answers for each 256 code points in use */
    unsigned char **blocks = L->pick[style & S_FACE_MASK];
    if (!blocks)
        blocks = L->pick[style & S_FACE_MASK] = nc_xcalloc(256, sizeof *blocks);
    unsigned char *t = blocks[cp >> 8];
    if (!t)
        t = blocks[cp >> 8] = nc_xcalloc(256, 1);
    unsigned char *v = &t[cp & 255];
    if (!*v) {
        int s = choose(L, style, cp);
        *v = (unsigned char)(s < 0 ? 255 : s + 1);
    }
    return *v == 255 ? -1 : *v - 1;
}

void lay_cleanup(lay *L)
{
    for (int i = 0; i < 16; i++) {
        for (int j = 0; L->pick[i] && j < 256; j++)
            free(L->pick[i][j]);
        free(L->pick[i]);
    }
    free(L->warned);
    free(L->anchor_keys);
    free(L->anchor_items);
    free(L->anchor_log);
    free(L->notes);
    free(L->note_item);
    free(L->note_first);
    free(L->note_end);
    free(L->toc_ids);
}
