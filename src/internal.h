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
extern const nc_writer nc_writer_xhtml;
extern const nc_writer nc_writer_epub;
extern const nc_filter nc_filter_heading_ids;
extern const nc_filter nc_filter_hugo_shortcodes;

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
