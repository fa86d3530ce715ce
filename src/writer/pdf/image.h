/* image.h — PNG and JPEG images for the PDF writer, decoded by us (libpng, libjpeg) so that a
 * bad file gives a warning instead of an abort inside libharu. No hpdf.h here. */
#ifndef NC_PDF_IMAGE_H
#define NC_PDF_IMAGE_H

#include "internal.h"

/* Images above this many pixels are decoded scaled down (JPEG by 1/2, 1/4 or 1/8 with libjpeg;
 * a non-interlaced PNG by an integer box filter); the decoded result is at most ~200 MB. */
#define NC_IMAGE_MAX_PIXELS ((uint64_t)50 * 1000 * 1000)
/* Images above this many pixels, or interlaced PNGs above NC_IMAGE_MAX_PIXELS, are refused:
 * even a scaled decode would take too long (a tiny all-zero PNG can claim gigapixels). */
#define NC_IMAGE_MAX_SOURCE_PIXELS ((uint64_t)400 * 1000 * 1000)
/* Files larger than this are refused before they are read. */
#define NC_IMAGE_MAX_FILE ((size_t)100 * 1024 * 1024)

typedef enum nc_img_kind {
    NC_IMG_JPEG, /* data is the JPEG file as it is: embed it with /DCTDecode */
    NC_IMG_RAW   /* data is 8-bit samples, rows top to bottom, no padding */
} nc_img_kind;

typedef struct nc_image {
    nc_img_kind kind;
    unsigned width, height;  /* as stored, before orientation is applied */
    int components;          /* RAW: 1 gray or 3 RGB; JPEG: 1, 3 or 4 (CMYK) */
    unsigned char *data;
    size_t len;
    unsigned char *alpha;    /* RAW only: width*height 8-bit alpha; NULL when opaque */
    bool adobe_inverted;     /* JPEG CMYK with an Adobe APP14 marker: stored inverted, so the
                              * backend sets /Decode [1 0 1 0 1 0 1 0] */
    int orientation;         /* EXIF orientation 1..8 (1 = as stored): see nc_image_placement */
} nc_image;

/* Loads a local PNG or JPEG; the type comes from its magic bytes, not its name. On failure
 * returns -1 with a warning at pos that says why (not found, unreadable, corrupt, truncated,
 * unsupported format such as SVG or GIF, too large) and leaves img empty. A JPEG that decodes
 * is kept as its bytes (NC_IMG_JPEG) unless it is too large or arithmetic-coded (which PDF's
 * DCTDecode does not promise to read): then it is decoded to NC_IMG_RAW. A scaled-down decode
 * is reported as a note. Safe to call from several threads. */
int nc_image_load(const char *path, nc_image *img, const nc_pos *pos, nc_diag *diag);
void nc_image_free(nc_image *img);

/* The size to lay the image out at, in pixels: width and height swapped for orientations 5..8. */
void nc_image_display_size(const nc_image *img, unsigned *w, unsigned *h);
/* The PDF image matrix [a b c d e f] that draws the image, as stored, upright into the box
 * (x, y, w, h) (PDF user space, y up; w and h are the displayed size) for its orientation. */
void nc_image_placement(const nc_image *img, double x, double y, double w, double h,
                        double m[6]);

/* nc_image_is_remote and nc_image_resolve are declared in internal.h (src/resolve.c). */

#endif
