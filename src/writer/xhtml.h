/* xhtml.h — what the XHTML and EPUB writers share: a note's blocks as a well-formed XHTML
 * body, with the headings for a navigation document. Not for other writers. */
#ifndef NC_XHTML_H
#define NC_XHTML_H

#include "internal.h"

typedef struct nc_xhtml_head {
    int level;
    char *id;
    char *text;
} nc_xhtml_head;

typedef struct nc_xhtml {
    /* in */
    bool book;        /* EPUB: links that leave the book's files lose their href, remote
                         images become links, every heading gets an id */
    /* A raw-HTML <img src>: the URL to write (malloc'd), or NULL to keep the alt text
     * only. NULL callback: src is kept. */
    char *(*image)(void *user, const char *src);
    void *user;
    bool libxml2; /* read the HTML writer's output with libxml2 even when the own reader
                     could (tests compare the two) */
    /* out: the headings in order, with the ids they have in the output */
    nc_xhtml_head *heads;
    size_t nheads, capheads;
    bool read_by_libxml2; /* the note's HTML needed libxml2 (raw HTML, or beyond the own
                             reader) */
} nc_xhtml;

/* The children of blocks (the document's root or a chapter Div) as XHTML, appended to out. */
int nc_xhtml_body(nc_doc *doc, nc_node *blocks, const nc_options *opt, nc_xhtml *x,
                  nc_buf *out, nc_diag *diag);
void nc_xhtml_free(nc_xhtml *x);

/* The HTML writer's output as the body element of the tree libxml2's HTML parser would make
 * of it, built without libxml2 (xhtml_own.c); NULL when the HTML is outside the small subset
 * that writer writes, and the caller must ask libxml2. *tree owns the nodes. */
typedef struct nc_xtree nc_xtree;
struct _xmlNode *nc_xhtml_own_read(const char *html, size_t len, nc_xtree **tree);
void nc_xtree_free(nc_xtree *tree);

/* XML text (attr: for an attribute value): & < > " escaped, characters XML forbids dropped. */
void nc_xml_escape(nc_buf *b, const char *s, size_t n, bool attr);

/* The page template (--template, else the built-in XHTML one); NULL with an error. */
nc_template *nc_xhtml_template(const nc_options *opt, nc_diag *diag);
/* The template's variables in tmp's metadata: meta's values as escaped text, then lang,
 * pagetitle, body (pointed at), css (list of URLs) and -V variables. */
void nc_xhtml_context(nc_doc *tmp, const nc_meta *meta, const nc_options *opt, const char *lang,
                      const char *pagetitle, const nc_buf *body);

/* The stylesheet of XHTML pages and books: a Japanese font stack, no scripts. */
extern const char nc_xhtml_css[];

#endif
