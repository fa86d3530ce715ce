/* internal.h — helpers shared inside libnoteconv that are not part of the public API.
 * Nothing here prints or keeps global mutable state. */
#ifndef NC_INTERNAL_H
#define NC_INTERNAL_H

#include <string.h>

#include "noteconv/noteconv.h"

#define NC_UNUSED(x) ((void)(x))

/* UTF-8: decodes one code point at s (n bytes available). Returns its length (1..4), or 0 for
 * an invalid or truncated sequence (then *cp is U+FFFD). */
int nc_utf8_decode(const char *s, size_t n, int32_t *cp);
/* Appends the UTF-8 encoding of cp. */
void nc_utf8_encode(nc_buf *b, int32_t cp);
/* A string's hash for tables indexed by its low bits: FNV-1a with the high bits folded in
 * (FNV's low bits see only the characters' low bits, so "x-1" ... "x-99999" clustered). */
size_t nc_str_hash(const char *s);

/* Writers' hot path: runs copied straight into the buffer. They keep room for the NUL but do
 * not write it: the writer terminates the buffer once at its end (nc_buf_terminate). */
static inline void nc_put(nc_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n)
        nc_buf_grow(b, n);
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
}

#define NC_PUTS(b, lit) nc_put((b), (lit), sizeof(lit) - 1)

static inline void nc_putc(nc_buf *b, char c)
{
    if (b->cap - b->len <= 1)
        nc_buf_grow(b, 1);
    b->ptr[b->len++] = c;
}

static inline void nc_buf_terminate(nc_buf *b)
{
    nc_buf_grow(b, 0);
    b->ptr[b->len] = '\0';
}
/* Hiragana, katakana, CJK ideographs, fullwidth forms and CJK punctuation. */
bool nc_is_east_asian(int32_t cp);

/* Registries (one table each). */
extern const nc_reader nc_reader_markdown;
extern const nc_writer nc_writer_html;
extern const nc_writer nc_writer_pdf;
extern const nc_writer nc_writer_pdf_layout;
extern const nc_reader nc_reader_json;
extern const nc_writer nc_writer_json;
extern const nc_writer nc_writer_outline;
extern const nc_writer nc_writer_xhtml;
extern const nc_writer nc_writer_epub;
extern const nc_filter nc_filter_heading_ids;
extern const nc_filter nc_filter_hugo_shortcodes;
extern const nc_filter nc_filter_resources;
extern const nc_filter nc_filter_link_rewrite;
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
/* The toc filter's <!-- toc --> marker: raw HTML that is only that comment (filters/toc.c). */
bool nc_is_toc_comment(const char *text, size_t len);

/* The built-in standalone HTML page, one line per string, NULL-terminated. */
extern const char *const nc_html_default_template[];

/* Metadata from front matter. */
int nc_parse_yaml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag);
int nc_parse_toml(nc_doc *doc, nc_meta *into, const char *text, size_t len, const char *path,
                  uint32_t first_line, nc_diag *diag);

/* The pandoc-api minor version -t json writes: 22 or 23 (opt->pandoc_api, else the build's
 * default). */
int nc_json_api(const nc_options *opt);

/* Interns a file name in the document so that positions can point at it. */
const char *nc_doc_intern_path(nc_doc *doc, const char *path);

/* Big short-lived memory on huge pages (src/bigmem.c): NULL when the system has none to give
 * or size is under one. nc_doc_reserve gives the arena room for size bytes at once. */
void *nc_big_map(size_t size);
void nc_big_advise(void *p, size_t size);
/* size bytes that free() takes; from NC_BIG_BUF on, on huge pages (never NULL: out of memory
 * is fatal, as for nc_xmalloc). */
void *nc_big_alloc(size_t size);
/* realloc() for an array that grows by doubling: p's first used bytes are kept; from
 * NC_BIG_BUF on, the new room is on huge pages (a copy into fresh 4 KB pages would cost a fault
 * per page). p must be malloc's or nc_big_alloc's. */
void *nc_big_realloc(void *p, size_t used, size_t size);
#define NC_HUGE_PAGE ((size_t)2 * 1024 * 1024)
/* From this size on, a growing nc_buf moves to huge pages (buf.c). */
#define NC_BIG_BUF ((size_t)8 * 1024 * 1024)

/* The one fatal case: says so on stderr and exits (src/buf.c). */
_Noreturn void nc_oom(void);
void nc_big_unmap(void *p, size_t size);
void nc_doc_reserve(nc_doc *doc, size_t size);

/* Filter plugins (src/plugin.c): a loaded shared object, as one chain entry. */
typedef struct nc_plugin nc_plugin;
/* Loads the plugin a -F spec names ("./x.so", "dir/x.so=ARGS"); *args gets the ARGS part
 * (malloc'd) or NULL. -1 with an error when the file is missing, not a shared object, has no
 * entry point or another ABI version. */
int nc_plugin_open(const char *spec, nc_plugin **out, char **args, nc_diag *diag);
int nc_plugin_run(const nc_plugin *pl, nc_doc *doc, const char *args, const nc_options *opt,
                  nc_diag *diag);
void nc_plugin_close(nc_plugin *pl);

/* Image files (src/resolve.c). */
/* True for anything that is not a local file: a URL with a scheme (http:, https:, data:, ...)
 * or a network path (//host/...). file: URLs are local. No network is ever used. */
bool nc_image_is_remote(const char *url);

/* The file an image URL names, malloc'd: file: prefixes and ?query/#fragment are dropped and
 * %XX decoded; a relative path is looked up in the note's folder, then in each ':'-separated
 * folder of resource_path (may be NULL); an absolute path as it is, then under the note's
 * folder and the resource folders (Hugo's static/ style). Returns the first candidate that is
 * a file, else the first candidate (so the caller's warning names it); NULL for an empty URL.
 * note_path may be NULL or "-" (stdin): the current folder. Between the two, a relative path
 * is also tried against the note's Hugo page (posts/x.md is served at posts/x/, so "../p.png"
 * beside x.md). The PDF writer and the resources filter share this rule. */
char *nc_image_resolve(const char *url, const char *note_path, const char *resource_path);
/* file as a relative path from dir, appended to out; both canonical and absolute (realpath). */
void nc_path_relative(const char *dir, const char *file, nc_buf *out);
/* A file path as a URL path, appended to out: the bytes a URL cannot hold as they are become
 * %XX; UTF-8 letters stay. */
void nc_url_encode_path(const char *s, nc_buf *out);

#endif
