/* font.h — fonts for the PDF typesetter as the layout engine sees them: found with
 * fontconfig, read from TrueType files for metrics and coverage only. No hpdf.h here. */
#ifndef NC_PDF_FONT_H
#define NC_PDF_FONT_H

#include "internal.h"

typedef struct nc_font nc_font;

/* Loads face `index` of a TrueType/OpenType (glyf outlines) file: cmap (formats 4 and 12),
 * hmtx, head, hhea, OS/2, name. NULL with an error reported on failure. */
nc_font *nc_font_load(const char *path, int index, nc_diag *diag);
/* The same from bytes in memory (copied); name is used in diagnostics. For tests and fuzzing. */
nc_font *nc_font_load_mem(const void *data, size_t len, const char *name, int index,
                          nc_diag *diag);
void nc_font_free(nc_font *f);

const char *nc_font_path(const nc_font *f);
int nc_font_index(const nc_font *f);
const char *nc_font_family(const nc_font *f);   /* from the name table */
const char *nc_font_psname(const nc_font *f);   /* PostScript name */
unsigned nc_font_units_per_em(const nc_font *f);
int nc_font_ascent(const nc_font *f);            /* font units; hhea or OS/2 typo */
int nc_font_descent(const nc_font *f);           /* negative */
int nc_font_cap_height(const nc_font *f);
bool nc_font_is_fixed_pitch(const nc_font *f);
/* head's xMin, yMin, xMax, yMax in font units (for a PDF FontDescriptor). */
void nc_font_bbox(const nc_font *f, int bbox[4]);
/* maxp's glyph count: every glyph id below it is valid (for a subsetter). */
unsigned nc_font_num_glyphs(const nc_font *f);
/* Glyph id of cp, 0 when the font has none. O(1) in the BMP (a table built at load), a binary
 * search above it. Fonts are immutable once loaded: lookups are safe from several threads. */
uint16_t nc_font_glyph(const nc_font *f, uint32_t cp);
/* Advance width of a glyph in font units. */
unsigned nc_font_advance(const nc_font *f, uint16_t gid);
/* Width in points of cp at size (0 when the font lacks it). */
double nc_font_width(const nc_font *f, uint32_t cp, double size);
/* The raw bytes of a table ("glyf", "loca", ...) for subsetting; NULL if absent. */
const unsigned char *nc_font_table(const nc_font *f, const char *tag, size_t *len);
/* The whole file (a collection holds several faces: see nc_font_index). */
const unsigned char *nc_font_data(const nc_font *f, size_t *len);

/* Finds a font file with fontconfig. family may be NULL (then lang and the style pick one);
 * lang ("ja", "en") steers the choice; mono asks for a monospace face. On success *path is
 * malloc'd and *index set. When the family asked for is not installed (fontconfig's nearest
 * match has another family), reports an error naming the Debian package that has it
 * (fonts-ipaexfont for IPAex*, fonts-dejavu for DejaVu*, fonts-liberation2 for Liberation*,
 * fonts-noto-cjk for Noto * CJK) and returns -1. Only TrueType-outline faces are taken
 * (libharu cannot embed CFF): a CFF best match is passed over for the next one. With no family,
 * the face must support lang. The first call loads fontconfig's configuration (once per
 * process); calls are thread-safe. */
int nc_font_find(const char *family, const char *lang, bool bold, bool italic, bool mono,
                 char **path, int *index, nc_diag *diag);

#endif
