/* internal.h — helpers shared inside libnoteconv that are not part of the public API.
 * Nothing here prints or keeps global mutable state. */
#ifndef NC_INTERNAL_H
#define NC_INTERNAL_H

#include "noteconv/noteconv.h"

#define NC_UNUSED(x) ((void)(x))

/* UTF-8: decodes one code point at s (n bytes available). Returns its length (1..4), or 0 for
 * an invalid or truncated sequence (then *cp is U+FFFD). */
int nc_utf8_decode(const char *s, size_t n, int32_t *cp);
/* Appends the UTF-8 encoding of cp. */
void nc_utf8_encode(nc_buf *b, int32_t cp);
/* Hiragana, katakana, CJK ideographs, fullwidth forms and CJK punctuation. */
bool nc_is_east_asian(int32_t cp);

/* Registries (one table each). */
extern const nc_reader nc_reader_markdown;
extern const nc_writer nc_writer_html;
extern const nc_writer nc_writer_pdf;
extern const nc_writer nc_writer_pdf_layout;
extern const nc_filter nc_filter_heading_ids;
extern const nc_filter nc_filter_hugo_shortcodes;
extern const nc_filter nc_filter_toc;
extern const nc_filter nc_filter_number_sections;
extern const nc_filter nc_filter_shift_headings;
extern const nc_filter nc_filter_east_asian_breaks;
extern const nc_filter nc_filter_smart;
extern const nc_filter nc_filter_empty_sections;
extern const nc_filter nc_filter_strip_comments;

/* Filter arguments (filterargs.c): "a,b" fills the names in order, "key=val,key=val" by name.
 * keys is NULL-terminated; vals[k] is the value for keys[k], NULL when not given. Errors name
 * the filter. */
#define NC_FARGS_MAX 8
typedef struct nc_fargs {
    const char *filter;
    const char *const *keys;
    const char *vals[NC_FARGS_MAX];
    char *store;
} nc_fargs;
int nc_fargs_parse(nc_fargs *a, const char *filter, const char *args,
                   const char *const *keys, nc_diag *diag);
void nc_fargs_free(nc_fargs *a);
/* Sets *out to the value of keys[k] when given; -1 with an error when out of [lo, hi]. */
int nc_fargs_int(const nc_fargs *a, size_t k, int lo, int hi, int *out, nc_diag *diag);
/* Sets *out to the index of the value in the NULL-terminated choices when given. */
int nc_fargs_choice(const nc_fargs *a, size_t k, const char *const *choices, int *out,
                    nc_diag *diag);
/* Headings that the toc and number-sections filters see: at the top level and in divs, not
 * in quotes, lists, tables or notes. Calls fn on each in document order. */
void nc_each_section_heading(nc_node *root, void (*fn)(nc_node *h, void *user), void *user);

/* The built-in standalone HTML page, one line per string, NULL-terminated. */
extern const char *const nc_html_default_template[];

/* Metadata from front matter. */
int nc_parse_yaml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag);
int nc_parse_toml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag);

/* Interns a file name in the document so that positions can point at it. */
const char *nc_doc_intern_path(nc_doc *doc, const char *path);

#endif
