/* layout.h — the PDF typesetter's layout engine: turns a document into pages of positioned
 * text runs, rules, boxes and links (a display list). Knows fonts only through their metrics;
 * the backend (backend.c, the only file that includes hpdf.h) draws the result. */
#ifndef NC_PDF_LAYOUT_H
#define NC_PDF_LAYOUT_H

#include "font.h"
#include "image.h"

/* Font slots of a document. Each slot is one TrueType face; a slot may be shared. */
enum {
    NC_F_MAIN,        /* Latin body */
    NC_F_MAIN_B,
    NC_F_MAIN_I,
    NC_F_MAIN_BI,
    NC_F_SANS,        /* Latin headings */
    NC_F_SANS_B,
    NC_F_MONO,
    NC_F_MONO_B,
    NC_F_CJK,         /* Japanese body (Mincho) */
    NC_F_CJK_SANS,    /* Japanese headings and bold (Gothic) */
    NC_F_SYMBOL,      /* a wide-coverage fallback (DejaVu Sans) */
    NC_F_COUNT
};

/* Style bits of a text run: what the backend must synthesise. */
enum {
    NC_RUN_FAKE_BOLD = 1,   /* the face has no bold: fill + stroke */
    NC_RUN_FAKE_ITALIC = 2, /* the face has no italic: slanted text matrix */
    NC_RUN_STRIKE = 4
};

typedef enum nc_op_kind {
    NC_OP_TEXT,  /* a run of text in one face at one size */
    NC_OP_RECT,  /* a filled rectangle */
    NC_OP_LINE,  /* a stroked line from (x, y) to (x + w, y + h) */
    NC_OP_URI,   /* a link annotation over a rectangle to a URI */
    NC_OP_GOTO,  /* a link annotation to a destination (page, y) */
    NC_OP_IMAGE  /* an image (index in nc_layout.images) scaled into a rectangle */
} nc_op_kind;

/* Coordinates are PDF points from the page's bottom-left corner. */
typedef struct nc_op {
    nc_op_kind kind;
    int font;          /* NC_OP_TEXT: a slot */
    unsigned flags;    /* NC_RUN_* */
    double x, y;       /* text: the baseline's start; rect/link: bottom-left */
    double w, h;
    double size;       /* font size */
    double char_space; /* extra space after each character (justification) */
    uint32_t color;    /* 0xRRGGBB */
    const char *text;  /* UTF-8 (NC_OP_TEXT), URI (NC_OP_URI); in the layout's arena */
    size_t len;
    int dest_page;     /* NC_OP_GOTO */
    double dest_y;
    int image;         /* NC_OP_IMAGE */
} nc_op;

typedef struct nc_page {
    nc_op *ops;
    size_t n, cap;
} nc_page;

typedef struct nc_mark {
    int level;         /* 1..6 */
    const char *title; /* UTF-8 */
    int page;
    double y;
} nc_mark;

typedef struct nc_layout {
    double page_w, page_h;
    double margin_l, margin_r, margin_t, margin_b;
    nc_font *fonts[NC_F_COUNT];
    nc_page *pages;
    size_t npages, cappages;
    nc_mark *marks;   /* bookmarks, in document order */
    size_t nmarks;
    nc_image *images; /* each file once, however often it is shown */
    char **image_paths;
    size_t nimages;
    nc_doc *arena;    /* strings of the layout */
} nc_layout;

/* Lays the document out. NULL with an error reported on failure (e.g. a missing font). */
nc_layout *nc_layout_new(nc_doc *doc, const nc_options *opt, nc_diag *diag);
void nc_layout_free(nc_layout *l);
/* A readable dump of the pages, for tests: one line per op, numbers rounded. */
void nc_layout_dump(const nc_layout *l, nc_buf *out);

#endif
