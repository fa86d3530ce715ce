/* noteconv.h — the public API of libnoteconv: buffers, diagnostics, the document model,
 * readers, the filter chain and writers. Nothing behind this header prints, exits (except on
 * out-of-memory) or keeps process-wide mutable state: two documents convert on two threads. */
#ifndef NOTECONV_NOTECONV_H
#define NOTECONV_NOTECONV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NC_VERSION_MAJOR 0
#define NC_VERSION_MINOR 1
#define NC_VERSION_PATCH 0
#define NC_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define NC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NC_PRINTF(f, a)
#endif

/* ------------------------------------------------------------------------------------------
 * Memory and buffers
 * ---------------------------------------------------------------------------------------- */

/* Allocation wrappers: out of memory is the one fatal case; they report it and exit. */
void *nc_xmalloc(size_t size);
void *nc_xcalloc(size_t n, size_t size);
void *nc_xrealloc(void *p, size_t size);
char *nc_xstrdup(const char *s);
char *nc_xstrndup(const char *s, size_t n);

/* A growable byte buffer, always NUL-terminated once anything was put in it. */
typedef struct nc_buf {
    char *ptr;
    size_t len;
    size_t cap;
} nc_buf;

#define NC_BUF_INIT {NULL, 0, 0}
void nc_buf_init(nc_buf *b);
void nc_buf_free(nc_buf *b);
void nc_buf_grow(nc_buf *b, size_t extra);
/* A hint of the room a buffer will need (a whole input or output): where it must move for a
 * big room, the new one starts on a huge page where the system has them, since first touching
 * fresh 4 KB pages costs a page fault each. Room that cannot be had at once is left to later
 * growth. An ordinary buffer afterwards. */
void nc_buf_reserve(nc_buf *b, size_t extra);
void nc_buf_put(nc_buf *b, const void *data, size_t len);
void nc_buf_puts(nc_buf *b, const char *s);
void nc_buf_putc(nc_buf *b, int c);
void nc_buf_printf(nc_buf *b, const char *fmt, ...) NC_PRINTF(2, 3);
void nc_buf_vprintf(nc_buf *b, const char *fmt, va_list ap);
void nc_buf_clear(nc_buf *b);
void nc_buf_truncate(nc_buf *b, size_t len);
/* The contents, "" for an empty buffer (never NULL). */
const char *nc_buf_cstr(const nc_buf *b);
/* Hands the storage to the caller (free() it); the buffer is left empty. */
char *nc_buf_detach(nc_buf *b, size_t *len);

/* ------------------------------------------------------------------------------------------
 * Diagnostics: collected, never printed by the library
 * ---------------------------------------------------------------------------------------- */

typedef enum nc_diag_level {
    NC_DIAG_ERROR = 0,
    NC_DIAG_WARNING = 1,
    NC_DIAG_NOTE = 2
} nc_diag_level;

/* OR-ed into a level: the message is only of interest with --verbose. */
#define NC_DIAG_VERBOSE 0x100

/* A source position; line and col are 1-based (col counts bytes), 0 when unknown. */
typedef struct nc_pos {
    const char *file;
    uint32_t line;
    uint32_t col;
} nc_pos;

typedef struct nc_diag_entry {
    nc_diag_level level;
    bool verbose;
    const char *file; /* may be NULL */
    uint32_t line;
    uint32_t col;
    const char *message;
} nc_diag_entry;

typedef struct nc_diag nc_diag;
typedef void (*nc_diag_fn)(const nc_diag_entry *entry, void *user);

nc_diag *nc_diag_new(void);
void nc_diag_free(nc_diag *d);
/* Called for every entry as it is reported (the CLI prints from here). */
void nc_diag_set_callback(nc_diag *d, nc_diag_fn fn, void *user);
/* level is an nc_diag_level, optionally OR-ed with NC_DIAG_VERBOSE; pos may be NULL. */
void nc_diag_report(nc_diag *d, int level, const nc_pos *pos, const char *fmt, ...)
    NC_PRINTF(4, 5);
void nc_diag_vreport(nc_diag *d, int level, const nc_pos *pos, const char *fmt, va_list ap);
size_t nc_diag_count(const nc_diag *d, nc_diag_level level);
size_t nc_diag_size(const nc_diag *d);
const nc_diag_entry *nc_diag_get(const nc_diag *d, size_t i);
/* "file:line:col: error: message" (the parts that are known). */
void nc_diag_format(const nc_diag_entry *e, nc_buf *out);

/* ------------------------------------------------------------------------------------------
 * The document model: pandoc's Block and Inline kinds, in one arena per document
 * ---------------------------------------------------------------------------------------- */

typedef enum nc_kind {
    NC_NONE = 0,
    /* blocks */
    NC_DOCUMENT,        /* the root: blocks */
    NC_PLAIN,           /* inlines (a paragraph without <p>, e.g. in tight lists) */
    NC_PARA,            /* inlines */
    NC_LINE_BLOCK,      /* NC_LINE children */
    NC_LINE,            /* inlines: one line of a line block */
    NC_CODE_BLOCK,      /* attr, text (classes[0] is the language); the text has no final
                           newline, except that a block of blank lines keeps them ("\n") */
    NC_RAW_BLOCK,       /* format, text */
    NC_BLOCK_QUOTE,     /* blocks */
    NC_ORDERED_LIST,    /* start, style, delim; NC_LIST_ITEM children */
    NC_BULLET_LIST,     /* NC_LIST_ITEM children */
    NC_LIST_ITEM,       /* task; blocks */
    NC_DEFINITION_LIST, /* NC_DEF_ITEM children */
    NC_DEF_ITEM,        /* one NC_DEF_TERM then NC_DEF_DATA children */
    NC_DEF_TERM,        /* inlines */
    NC_DEF_DATA,        /* blocks */
    NC_HEADER,          /* level, attr; inlines */
    NC_HORIZONTAL_RULE, /* leaf */
    NC_TABLE,           /* attr, cols; [NC_CAPTION] NC_TABLE_HEAD NC_TABLE_BODY* NC_TABLE_FOOT */
    NC_TABLE_HEAD,      /* attr; rows */
    NC_TABLE_BODY,      /* attr, rowhead_cols; rows (rows with head=true are intermediate heads) */
    NC_TABLE_FOOT,      /* attr; rows */
    NC_TABLE_ROW,       /* attr, head; cells */
    NC_TABLE_CELL,      /* attr, align, rowspan, colspan; blocks */
    NC_CAPTION,         /* blocks: the caption of a table or figure */
    NC_FIGURE,          /* attr; [NC_CAPTION] blocks */
    NC_DIV,             /* attr; blocks */
    /* inlines */
    NC_STR,         /* text (may contain spaces: writers of pandoc JSON split it) */
    NC_EMPH,        /* inlines */
    NC_UNDERLINE,   /* inlines */
    NC_STRONG,      /* inlines */
    NC_STRIKEOUT,   /* inlines */
    NC_SUPERSCRIPT, /* inlines */
    NC_SUBSCRIPT,   /* inlines */
    NC_SMALL_CAPS,  /* inlines */
    NC_QUOTED,      /* quote; inlines */
    NC_CITE,        /* text: the citations as pandoc JSON; inlines */
    NC_CODE,        /* attr, text */
    NC_SPACE,       /* leaf */
    NC_SOFT_BREAK,  /* leaf */
    NC_LINE_BREAK,  /* leaf */
    NC_MATH,        /* math, text */
    NC_RAW_INLINE,  /* format, text */
    NC_LINK,        /* attr, url, title; inlines */
    NC_IMAGE,       /* attr, url, title; inlines (the alt text) */
    NC_NOTE,        /* label; blocks (a footnote, inline where it is referenced) */
    NC_SPAN,        /* attr; inlines */
    NC_KIND_COUNT
} nc_kind;

typedef enum nc_align {
    NC_ALIGN_DEFAULT = 0,
    NC_ALIGN_LEFT,
    NC_ALIGN_RIGHT,
    NC_ALIGN_CENTER
} nc_align;

typedef enum nc_list_style {
    NC_LIST_DEFAULT_STYLE = 0,
    NC_LIST_EXAMPLE,
    NC_LIST_DECIMAL,
    NC_LIST_LOWER_ROMAN,
    NC_LIST_UPPER_ROMAN,
    NC_LIST_LOWER_ALPHA,
    NC_LIST_UPPER_ALPHA
} nc_list_style;

typedef enum nc_list_delim {
    NC_DELIM_DEFAULT = 0,
    NC_DELIM_PERIOD,
    NC_DELIM_ONE_PAREN,
    NC_DELIM_TWO_PARENS
} nc_list_delim;

typedef enum nc_task {
    NC_TASK_NONE = 0,
    NC_TASK_OPEN,
    NC_TASK_DONE
} nc_task;

typedef enum nc_quote {
    NC_QUOTE_SINGLE = 0,
    NC_QUOTE_DOUBLE
} nc_quote;

typedef enum nc_math {
    NC_MATH_INLINE = 0,
    NC_MATH_DISPLAY
} nc_math;

/* pandoc's Attr: (identifier, [classes], [(key, value)]). Strings live in the doc's arena. */
typedef struct nc_attr {
    const char *id;
    const char **classes;
    size_t nclasses;
    const char **keys;
    const char **values;
    size_t nkv;
} nc_attr;

typedef struct nc_colspec {
    nc_align align;
    double width; /* fraction of the text width; 0 = default */
} nc_colspec;

typedef struct nc_node nc_node;
struct nc_node {
    nc_kind kind;
    nc_node *parent, *prev, *next, *first, *last;
    nc_pos pos;
    nc_attr *attr; /* NULL when empty */

    const char *text; /* NUL-terminated; len excludes the NUL */
    size_t len;
    const char *url;    /* NC_LINK, NC_IMAGE */
    const char *title;  /* NC_LINK, NC_IMAGE */
    const char *format; /* NC_RAW_BLOCK, NC_RAW_INLINE: "html", "latex", ... */
    const char *label;  /* NC_NOTE: the footnote's label in the source, if any */

    int level;          /* NC_HEADER: 1..6 */
    int start;          /* NC_ORDERED_LIST */
    nc_list_style style;
    nc_list_delim delim;
    nc_task task;       /* NC_LIST_ITEM */
    nc_align align;     /* NC_TABLE_CELL */
    int rowspan, colspan;
    bool head;          /* NC_TABLE_ROW: an intermediate head row of a body */
    int rowhead_cols;   /* NC_TABLE_BODY */
    nc_quote quote;     /* NC_QUOTED */
    nc_math math;       /* NC_MATH */
    nc_colspec *cols;   /* NC_TABLE */
    size_t ncols;
    void *user;         /* free for filters and writers */
};

typedef enum nc_meta_kind {
    NC_META_MAP = 0,
    NC_META_LIST,
    NC_META_STRING,
    NC_META_BOOL,
    NC_META_NUMBER, /* str keeps the source text */
    NC_META_INLINES, /* node: an NC_PLAIN holding inlines (from pandoc JSON) */
    NC_META_BLOCKS   /* node: an NC_DIV holding blocks (from pandoc JSON) */
} nc_meta_kind;

typedef struct nc_meta nc_meta;
struct nc_meta {
    nc_meta_kind kind;
    nc_pos pos;
    const char *str; /* STRING, NUMBER */
    size_t len;
    double num;
    bool b;
    size_t n;             /* MAP, LIST: number of entries */
    size_t cap;
    const char **keys;    /* MAP */
    nc_meta **items;      /* MAP values, LIST items */
    nc_node *node;        /* INLINES, BLOCKS */
};

typedef struct nc_doc nc_doc;

nc_doc *nc_doc_new(void);
/* A hint before reading inputs into doc: how many bytes of Markdown are coming (say, all of a
 * book's chapters). For a big total the node arena takes its room at once, on huge pages where
 * the system has them. */
void nc_doc_expect_input(nc_doc *doc, size_t bytes);
void nc_doc_free(nc_doc *doc);
nc_node *nc_doc_root(const nc_doc *doc);
nc_meta *nc_doc_meta(const nc_doc *doc); /* a MAP, never NULL */
/* The first input's path ("-" for stdin); resources are resolved against its folder. */
const char *nc_doc_path(const nc_doc *doc);
void nc_doc_set_path(nc_doc *doc, const char *path);
/* Files a conversion read besides its inputs (images, templates, stylesheets, metadata files,
 * plugin filters), for dependency files (-MD): readers, filters and writers call add with the
 * path as they opened it; "-" and "" are ignored; repeats are kept (callers deduplicate). */
void nc_doc_add_dependency(nc_doc *doc, const char *path);
size_t nc_doc_dependency_count(const nc_doc *doc);
const char *nc_doc_dependency_at(const nc_doc *doc, size_t i); /* NULL past the end */
/* Arena allocation: lives as long as the document. */
void *nc_doc_alloc(nc_doc *doc, size_t size);
const char *nc_doc_strndup(nc_doc *doc, const char *s, size_t len);
const char *nc_doc_strdup(nc_doc *doc, const char *s);
/* The language: metadata lang, else "ja" when the text is mostly Japanese, else "en". */
const char *nc_doc_lang(const nc_doc *doc);

const char *nc_kind_name(nc_kind kind); /* pandoc's constructor name, e.g. "Para" */
bool nc_kind_is_block(nc_kind kind);
bool nc_kind_is_inline(nc_kind kind);
bool nc_kind_is_leaf(nc_kind kind); /* cannot have children */

nc_node *nc_node_new(nc_doc *doc, nc_kind kind, const nc_pos *pos);
void nc_node_set_text(nc_doc *doc, nc_node *n, const char *text, size_t len);
void nc_node_append(nc_node *parent, nc_node *child);
void nc_node_prepend(nc_node *parent, nc_node *child);
void nc_node_insert_before(nc_node *ref, nc_node *n);
void nc_node_insert_after(nc_node *ref, nc_node *n);
void nc_node_unlink(nc_node *n);
/* Moves all children of from to the end of to. */
void nc_node_move_children(nc_node *from, nc_node *to);
/* Deep copy into doc (which may be another document). */
nc_node *nc_node_copy(nc_doc *doc, const nc_node *n);
/* The plain text of a node's inlines (breaks and spaces as one space). */
void nc_node_text(const nc_node *n, nc_buf *out);

nc_attr *nc_node_attr(nc_doc *doc, nc_node *n); /* creates an empty one when needed */
void nc_node_set_id(nc_doc *doc, nc_node *n, const char *id);
void nc_node_add_class(nc_doc *doc, nc_node *n, const char *cls);
bool nc_node_has_class(const nc_node *n, const char *cls);
void nc_node_set_kv(nc_doc *doc, nc_node *n, const char *key, const char *value);
const char *nc_node_get_kv(const nc_node *n, const char *key);

/* The ENTER/EXIT walk of cmark: containers give ENTER then EXIT, leaves ENTER only.
 * The current node may be changed or unlinked on EXIT or a leaf's ENTER after calling
 * nc_iter_reset to say where to go on from. */
typedef enum nc_event {
    NC_EV_NONE = 0,
    NC_EV_DONE,
    NC_EV_ENTER,
    NC_EV_EXIT
} nc_event;

typedef struct nc_iter {
    nc_node *root;
    nc_node *cur;
    nc_event ev;
    nc_node *next;
    nc_event next_ev;
} nc_iter;

void nc_iter_init(nc_iter *it, nc_node *root);
nc_event nc_iter_next(nc_iter *it);
nc_node *nc_iter_node(const nc_iter *it);
void nc_iter_reset(nc_iter *it, nc_node *cur, nc_event ev);

/* Metadata. Strings are copied into the document's arena. */
nc_meta *nc_meta_new(nc_doc *doc, nc_meta_kind kind);
nc_meta *nc_meta_new_string(nc_doc *doc, const char *s, size_t len);
nc_meta *nc_meta_get(const nc_meta *map, const char *key);
/* "a.b.c" walks nested maps. */
nc_meta *nc_meta_lookup(const nc_meta *map, const char *path);
void nc_meta_set(nc_doc *doc, nc_meta *map, const char *key, nc_meta *value);
void nc_meta_remove(nc_meta *map, const char *key);
void nc_meta_push(nc_doc *doc, nc_meta *list, nc_meta *item);
/* The value as text: strings and numbers as written, bools "true"/"false", inlines and
 * blocks as plain text, lists joined with ", "; maps give "". */
void nc_meta_text(const nc_meta *m, nc_buf *out);
/* Truthiness as templates see it: non-empty string, true, non-empty list or map. */
bool nc_meta_truthy(const nc_meta *m);
nc_meta *nc_meta_copy(nc_doc *doc, const nc_meta *m);

/* ------------------------------------------------------------------------------------------
 * Options shared by readers, filters and writers
 * ---------------------------------------------------------------------------------------- */

typedef struct nc_kv {
    const char *key;
    const char *value;
} nc_kv;

typedef struct nc_options {
    bool standalone;        /* -s */
    bool verbose;           /* -v */
    const char *template_path; /* --template; NULL: built-in */
    const char *const *css; /* -c URLs */
    size_t ncss;
    const nc_kv *vars;      /* -V variables */
    size_t nvars;
    const char *resource_path; /* --resource-path, ':'-separated folders */
    const char *target;     /* the output format's name, for filters */
    const char *output;     /* the output file, for filters; NULL or "-": standard output */
    size_t max_input_size;  /* bytes; 0: the default (NC_DEFAULT_MAX_INPUT) */
    int max_depth;          /* nesting; 0: the default (NC_DEFAULT_MAX_DEPTH) */
    bool toc;               /* --toc: a table of contents (also metadata toc: true) */
    int toc_depth;          /* heading levels in it; 0: 3 */
    int pandoc_api;         /* -t json: 22 (pandoc-api 1.22) or 23; 0: the build's default */
} nc_options;

#define NC_DEFAULT_MAX_INPUT ((size_t)256 * 1024 * 1024)
#define NC_DEFAULT_MAX_DEPTH 1000

void nc_options_init(nc_options *o);
/* The value of -V key, or NULL. */
const char *nc_options_var(const nc_options *o, const char *key);

/* ------------------------------------------------------------------------------------------
 * Readers
 * ---------------------------------------------------------------------------------------- */

typedef struct nc_reader {
    const char *name;
    const char *extensions; /* space-separated, with dots: ".md .markdown" */
    const char *summary;
    /* Appends the blocks of one input to doc and merges its metadata (keys already set win).
     * path names the input in diagnostics. Returns 0, or -1 with an error reported. */
    int (*read)(nc_doc *doc, const char *data, size_t len, const char *path,
                const nc_options *opt, nc_diag *diag);
} nc_reader;

size_t nc_reader_count(void);
const nc_reader *nc_reader_at(size_t i);
const nc_reader *nc_reader_find(const char *name);
const nc_reader *nc_reader_for_path(const char *path);

/* Merges a YAML metadata file (--metadata-file) into the document's metadata; keys the
 * document already has keep their values. -1 with an error (file:line:col) on bad YAML. */
int nc_read_metadata_file(nc_doc *doc, const char *data, size_t len, const char *path,
                          nc_diag *diag);

/* Reads one input of a book (-t epub): like reader->read, but the input's blocks go into a
 * Div of class "nc-chapter" (keys: source, and the note's own title, subtitle, date, lang). */
int nc_read_chapter(const nc_reader *reader, nc_doc *doc, const char *data, size_t len,
                    const char *path, const nc_options *opt, nc_diag *diag);

/* Reads a file ("-" is stdin) into memory; -1 with an error reported on failure. */
int nc_read_file(const char *path, char **data, size_t *len, size_t max_size, nc_diag *diag);

/* ------------------------------------------------------------------------------------------
 * Filters and the chain
 * ---------------------------------------------------------------------------------------- */

typedef struct nc_filter {
    const char *name;
    const char *summary;
    const char *args_help; /* "" when it takes none */
    bool default_on;       /* runs first, unless disabled or named in the chain */
    int (*run)(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag);
} nc_filter;

size_t nc_filter_count(void);
const nc_filter *nc_filter_at(size_t i);
const nc_filter *nc_filter_find(const char *name);

typedef struct nc_chain nc_chain;
nc_chain *nc_chain_new(void);
void nc_chain_free(nc_chain *c);
/* "NAME" or "NAME=ARGS"; -1 with an error listing the valid names if unknown.
 * A spec that names a plugin file ("./x.so[=ARGS]") loads it: see <noteconv/filter.h>. */
int nc_chain_add(nc_chain *c, const char *spec, nc_diag *diag);
/* Keeps a default filter from running unless it is named in the chain. */
int nc_chain_disable(nc_chain *c, const char *name, nc_diag *diag);
/* An external filter, as pandoc runs one: PROG (a path, a name in
 * ~/.local/share/pandoc/filters or $PATH; .py through python3) gets the document as pandoc
 * JSON on stdin and opt->target as its argument, and prints the new document as JSON. */
int nc_chain_add_program(nc_chain *c, const char *prog, nc_diag *diag);
/* Seconds an external filter may run before its process group is killed; 0: no limit. */
void nc_chain_set_timeout(nc_chain *c, double seconds);
#define NC_DEFAULT_FILTER_TIMEOUT 300.0
/* Runs the default filters, then the chain in order. */
int nc_chain_run(const nc_chain *c, nc_doc *doc, const nc_options *opt, nc_diag *diag);

/* ------------------------------------------------------------------------------------------
 * Writers
 * ---------------------------------------------------------------------------------------- */

typedef struct nc_writer {
    const char *name;
    const char *extensions; /* space-separated, with dots: ".html .htm" */
    const char *summary;
    bool binary;            /* not for a terminal */
    int (*render)(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag);
} nc_writer;

size_t nc_writer_count(void);
const nc_writer *nc_writer_at(size_t i);
const nc_writer *nc_writer_find(const char *name);
const nc_writer *nc_writer_for_path(const char *path);

/* Writes data to path through a temporary file in the same folder and a rename, so that a
 * failure leaves no output; "-" writes to stdout. */
int nc_write_file(const char *path, const void *data, size_t len, nc_diag *diag);
/* nc_write_file that calls watch(tmp, user) with the temporary file's name just before creating
 * it and watch(NULL, user) once it is gone (renamed or removed), so that a program can remove
 * it when a signal ends the process half-way (the CLI does). */
typedef void (*nc_tmp_watch)(const char *tmp, void *user);
int nc_write_file_watched(const char *path, const void *data, size_t len, nc_tmp_watch watch,
                          void *user, nc_diag *diag);

/* ------------------------------------------------------------------------------------------
 * Templates (pandoc-compatible): $var$, $var.field$, $if(x)$..$else$..$endif$,
 * $for(x)$..$sep$..$endfor$, $$, ${...}, $it$, $-- comments.
 * ---------------------------------------------------------------------------------------- */

typedef struct nc_template nc_template;
/* name is used in diagnostics. NULL with an error reported on a syntax error. */
nc_template *nc_template_parse(const char *text, size_t len, const char *name, nc_diag *diag);
void nc_template_free(nc_template *t);
/* ctx is a MAP of variables; values are rendered as text (strings are not escaped). */
void nc_template_render(const nc_template *t, const nc_meta *ctx, nc_buf *out);

#ifdef __cplusplus
}
#endif

#endif
