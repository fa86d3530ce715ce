/* subset.h — the glyphs a PDF uses, cut out of a TrueType face with harfbuzz's subsetter,
 * so that a document embeds kilobytes, not the 8 MB of a Japanese face. */
#ifndef NC_PDF_SUBSET_H
#define NC_PDF_SUBSET_H

#include "font.h"

typedef struct nc_subset {
    unsigned char *data; /* the subset font program */
    size_t len;
    unsigned nglyphs;    /* glyphs in the subset */
    uint16_t *old_of_new;
    uint16_t *new_of_old; /* per glyph of the face; 0 for glyphs left out */
} nc_subset;

/* used: one byte per glyph of the face (nonzero: keep); glyph 0 is always kept.
 * 0, or -1 with an error reported. */
int nc_subset_make(const nc_font *f, const unsigned char *used, nc_subset *out, nc_diag *diag);
void nc_subset_free(nc_subset *s);

#endif
