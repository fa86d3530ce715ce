/* layout_int.h — what the files of the layout engine share: the layout state, the vertical
 * list of items, and the paragraph builder. Private to src/writer/pdf/. */
#ifndef NC_PDF_LAYOUT_INT_H
#define NC_PDF_LAYOUT_INT_H

#include <strings.h>

#include "layout.h"
#include "linebreak.h"

/* item flags */
enum {
    IT_GLUE = 1,      /* vertical space: dropped at the top of a page */
    IT_KEEP = 2,      /* no page break between this item and the next */
    IT_PAGEBREAK = 4, /* starts a new page */
    IT_KEEP_GLUE = 8  /* glue that stays at the top of a page */
};

typedef struct item {
    double height;
    unsigned flags;
    size_t op0, op1; /* its ops in lay.ops */
    const char *anchor; /* an id that links may point at */
    size_t repeat;   /* a table row: 1 + the item of its table's header row, repeated at the
                        top of a page; 0 otherwise */
    int page;        /* set by the paginator */
    double y;        /* top of the item on its page */
} item;

typedef struct mark_src {
    int level;
    const char *title;
    size_t item;
} mark_src;

/* text styles inside a paragraph */
enum {
    S_BOLD = 1,
    S_ITALIC = 2,
    S_MONO = 4,
    S_SANS = 8,
    S_STRIKE = 16,
    S_SUP = 32,
    S_CODE = 64,   /* inline code: tinted background */
    S_LINK = 128,
    S_MUTED = 256,
    S_HEAD = 512,  /* heading colour */
    S_QUIET = 1024 /* a link drawn in the text colour (table of contents) */
};
#define S_FACE_MASK (S_BOLD | S_ITALIC | S_MONO | S_SANS)

typedef struct want {
    const char *family;
    bool bold, italic, mono;
    const char *lang;
} want;

typedef struct lay {
    nc_doc *doc;
    nc_diag *diag;
    const nc_options *opt;
    nc_layout *out;
    bool ja;
    double base;    /* body font size */
    double leading; /* line height / font size */
    double left, right, top, bottom; /* the text block */

    item *items;
    size_t nitems, capitems;
    nc_op *ops;
    size_t nops, capops;
    mark_src *marks;
    size_t nmarks, capmarks;

    /* decorations of the enclosing blocks */
    double bars[64];
    int nbars;
    double frame[2];    /* left and right edges of a framed box being set, when framing */
    bool framing;
    double indent; /* current left indent from L->left */

    /* a list marker waiting for the first line of its item */
    const char *marker;
    size_t marker_len;
    double marker_w;
    double marker_size;
    const char *marker_url; /* an internal link on the marker (#id) */
    int marker_slot;
    bool marker_box; /* a task checkbox */
    uint32_t marker_color;

    /* the face each slot asks fontconfig for; faces are found when first used */
    want want[NC_F_COUNT];
    bool failed;
    bool flattened; /* blocks past the depth the layout recurses to were set as text */
    /* font choice: per face style, the slot for each BMP code point (+1; 0 = not yet) */
    unsigned char **pick[16];
    /* code points already warned about */
    uint32_t *warned;
    size_t nwarned, capwarned;

    /* anchors: id -> item, an open-addressing table */
    const char **anchor_keys;
    size_t *anchor_items;
    size_t anchor_cap, nanchors;
    const char **anchor_log; /* the ids in the order they were added (nanchors of them) */
    size_t caplog;

    /* footnotes: the note, the item that references it, and its own items, which follow
     * the main flow (items from main_end on) and are set at the foot of pages */
    nc_node **notes;
    size_t nnotes, capnotes;
    size_t *note_item, *note_first, *note_end;
    size_t main_end;

    size_t nheads; /* headings laid out so far: each is also anchor "nc-h-N" */
    /* the anchors that table-of-contents entries number: entry N's number op has
       dest_page -2 - N until the paginator knows the page */
    const char **toc_ids;
    size_t ntoc, captoc;
} lay;

/* layout.c */
nc_op *lay_op(lay *L, nc_op_kind kind);
/* A filled rectangle in the current item (y measured down from its top, so negative). */
nc_op *lay_rect(lay *L, double x, double y, double w, double h, uint32_t color);
item *lay_item(lay *L, double height, unsigned flags);
void lay_end_item(lay *L);
void lay_glue(lay *L, double h);

/* fontset.c */
int lay_fonts(lay *L, const nc_options *opt, nc_diag *diag);
/* The slot that draws cp in the given style (S_* face bits); -1 when no font has it. */
int lay_pick(lay *L, unsigned style, uint32_t cp);
/* The face of a slot, found and loaded on first use (never NULL: a face that cannot be
 * found is reported and the main face stands in, and the layout fails at the end). */
nc_font *lay_font(lay *L, int slot);
/* The NC_RUN_FAKE_* flags a style needs in a slot. */
unsigned lay_fake(lay *L, unsigned style, int slot);
void lay_cleanup(lay *L);

/* blocks.c */
void lay_document(lay *L);
item *lay_anchor_item(lay *L, const char *id);
void lay_anchor_add(lay *L, const char *id, size_t idx);

/* para.c: a paragraph's text with styles, broken into lines and set as items */
typedef struct span {
    size_t start, end;  /* bytes of para.text */
    unsigned style;
    const char *url;    /* S_LINK */
    const char *anchor; /* an empty span marking a link target (a footnote reference) */
    nc_pos pos;         /* where its text starts in the source, when known */
} span;

typedef struct para {
    nc_buf text;
    span *spans;
    size_t nspans, capspans;
    double size;        /* font size */
    double leading;
    unsigned base_style;
    uint32_t color;
    nc_pos pos;         /* for warnings */
    nc_pos at;          /* the source position of the text being added */
    bool code;          /* a code block: keep spaces, wrap anywhere, continuation marks */
    bool justify;
    bool center;        /* captions */
} para;

void para_init(para *P, double size, unsigned style);
void para_free(para *P);
void para_text(para *P, const char *s, size_t len, unsigned style, const char *url);
/* Text that stands at a known place in the source (a front-matter value), so that a warning
 * about one of its characters can point there. */
void para_text_at(para *P, const char *s, size_t len, unsigned style, nc_pos at);
/* Collects the inlines under n (Para, Plain, Header, ...). */
void para_inlines(lay *L, para *P, const nc_node *n, unsigned style);
/* Breaks the paragraph into lines and adds them as items at x = L->left + L->indent with
 * the given width. Returns the number of lines. first_keep/last_keep set widow and orphan
 * control; keep_all keeps every line with the next (headings). */
size_t para_set(lay *L, para *P, double width, bool keep_all);
/* "<br>", "<br/>", "<BR />": the one raw HTML tag a PDF honours */
bool lay_is_br(const char *s, size_t n);
/* The advance of UTF-8 text set in one slot, with spacing added after each character. */
double lay_width(lay *L, int slot, const char *s, size_t len, double size, double spacing);
/* Where a text op's run ends (its x plus the advance of its characters). */
double lay_run_end(lay *L, const nc_op *o);

#endif
