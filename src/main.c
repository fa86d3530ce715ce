/* main.c — the noteconv command: parses options, then reads, filters and writes through the
 * library (batch.c runs many conversions). With batch.c, the only code that prints
 * diagnostics and decides the exit status. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "noteconv/filter.h"

enum {
    OPT_TEMPLATE = 256,
    OPT_LIST_FORMATS,
    OPT_LIST_FILTERS,
    OPT_VERSION,
    OPT_NO_FILTER,
    OPT_RESOURCE_PATH,
    OPT_METADATA_FILE,
    OPT_MAX_DEPTH,
    OPT_TOC,
    OPT_TOC_DEPTH,
    OPT_PANDOC_API,
    OPT_BASE,
    OPT_FAIL_FAST,
    OPT_KEEP_GOING,
    OPT_NEWER,
    OPT_MD,
    OPT_MF,
    OPT_MT,
    OPT_MP,
    OPT_FILTER,
    OPT_FILTER_TIMEOUT,
    OPT_NO_HUGO
};

/* in sections: ISO C bounds one string literal at 4095 bytes */
static const char *const usage_text[] = {
    "Usage: noteconv [OPTIONS] [FILE...]\n"
    "Convert Markdown notes (GitHub-flavoured, with YAML or TOML front matter) into other\n"
    "formats. With no FILE, or when FILE is -, read standard input. Several FILEs make one\n"
    "document, in order.\n"
    "\n",
    "Formats:\n"
    "  -f, --from=FORMAT        input format (default: from the file name, else markdown)\n"
    "  -t, --to=FORMAT          output format: html, pdf, pdf-layout, json, outline,\n"
    "                           xhtml, epub (default: from -o's extension, else html)\n"
    "                           json is pandoc's JSON AST, also an input format (-f json),\n"
    "                           so pandoc and its filters read noteconv's documents and\n"
    "                           the other way round\n"
    "                           outline: a JSON outline of the note for tools (headings,\n"
    "                           links, images, metadata, word counts; -V compact: one line)\n"
    "      --pandoc-api=1.22|1.23  the pandoc-api version -t json writes: 1.22 for pandoc\n"
    "                           2.11-2.19 (figures as pandoc 2's implicit figures), 1.23\n"
    "                           for pandoc 3 (default: the pandoc found at build time)\n"
    "      --list-formats       list the input and output formats\n"
    "\n",
    "Output:\n"
    "  -o, --output=FILE        write to FILE (default: standard output; - is stdout too);\n"
    "                           written to a temporary file and renamed, never half-written\n"
    "  -s, --standalone         a whole document (for HTML: a page with <head> and styles)\n"
    "      --template=FILE      a pandoc-style template for -s ($var$, $if$, $for$, ...)\n"
    "  -c, --css=URL            link a stylesheet (repeatable)\n"
    "      --toc                a table of contents (the toc filter, run last; also\n"
    "                           metadata toc: true); in PDF with page numbers\n"
    "      --toc-depth=N        heading levels in it (default 3)\n"
    "  -V, --variable=KEY[=VAL] set a template/writer variable (repeatable); for PDF:\n"
    "                           papersize=a4|a5|b5|letter, margin=20mm, fontsize=10pt,\n"
    "                           mainfont, sansfont, monofont, CJKmainfont, CJKsansfont\n"
    "\n",
    "Metadata:\n"
    "  -M, --metadata=KEY[=VAL] set a metadata field, over the front matter's (no VAL: true)\n"
    "      --metadata-file=FILE read defaults for metadata from a YAML file\n"
    "\n",
    "Filters:\n"
    "  -F, --builtin=NAME[=ARGS] add a built-in filter to the chain, run in command-line\n"
    "                           order after the default ones and the front matter's\n"
    "                           filters: [...]; ARGS is a,b or key=val,key=val, also\n"
    "                           as NAME:key=val (see --list-filters)\n"
    "      --filter=PROGRAM     add an external pandoc filter to the chain, in command-line\n"
    "                           order with -F: it reads the document as pandoc JSON on\n"
    "                           stdin, gets the output format as its argument and prints\n"
    "                           JSON (.py runs with python3; found as given, in\n"
    "                           ~/.local/share/pandoc/filters, then in $PATH)\n"
    "      --filter-timeout=S   stop an external filter (its whole process group) that\n"
    "                           runs longer than S seconds (default 300; 0: no limit)\n"
    "      --no-filter=NAME     do not run the default filter NAME\n"
    "  -F ./FILE.so[=ARGS]      load a filter plugin and run it at this place in the chain\n"
    "                           (a NAME with '/' or ending in .so names a plugin file)\n"
    "      --no-hugo            leave Hugo shortcodes ({{< figure >}}, ...) as they are\n"
    "      --list-filters       list the built-in filters with their arguments\n"
    "\n",
    "Many notes (batch, for Makefiles):\n"
    "  -d, --output-dir=DIR     one output per input, under DIR, with the input's folders\n"
    "                           (relative to --base) and the format's extension; -t may\n"
    "                           then list several formats: -t html,pdf (each note is read\n"
    "                           once); folders are created as needed\n"
    "      --base=DIR           the folder whose layout is mirrored under DIR (default:\n"
    "                           the inputs' common folder)\n"
    "  -j, --jobs=N             convert N notes at once (default: the number of cores);\n"
    "                           the output does not depend on N\n"
    "      --keep-going         after a note fails, convert the others (the default)\n"
    "      --fail-fast          after a note fails, start no other\n"
    "      --newer              skip a conversion whose outputs are newer than every file\n"
    "                           they depend on (their .d files when -MD is given)\n"
    "  -MD                      write a dependency file for make beside each output:\n"
    "                           OUTPUT.d lists the note, images, template, stylesheets\n"
    "                           and metadata files that the output was made from\n"
    "  -MF FILE                 write the dependency file to FILE (one conversion)\n"
    "  -MT TARGET               the target named in it (repeatable; default: the outputs)\n"
    "  -MP                      add a phony target per dependency, so that make does not\n"
    "                           stop when a file is deleted\n"
    "\n",
    "Input:\n"
    "      --resource-path=DIRS folders (':'-separated) to look for images in\n"
    "      --max-depth=N        refuse nesting deeper than N (default 1000)\n"
    "\n",
    "Messages:\n"
    "  -q, --quiet              show errors only\n"
    "  -v, --verbose            also show notes of interest when checking a conversion\n"
    "      --version            print the version\n"
    "  -h, --help               print this help\n"
    "\n"
    "A progress bar is shown on standard error when it is a terminal (not with -q), and a\n"
    "summary such as '163 converted, 1 failed' after a batch.\n"
    "\n"
    "EPUB: noteconv -o book.epub a.md b.md ... makes one book, a chapter per note, with the\n"
    "local images; book metadata (title, author, lang, identifier, cover-image) from -M,\n"
    "--metadata-file or the first note; -c FILE puts that stylesheet in the book instead of\n"
    "ours; SOURCE_DATE_EPOCH fixes dcterms:modified and the zip's dates.\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 input error, 4 output error, 5 filter error.\n"
    "Diagnostics are printed as FILE:LINE:COL: error|warning: MESSAGE.\n",
    NULL,
};

typedef struct cli {
    int quiet;
    bool verbose;
    const char *prog;
} cli;

static void print_diag(const nc_diag_entry *e, void *user)
{
    const cli *c = user;
    if (e->level != NC_DIAG_ERROR && c->quiet)
        return;
    if (e->verbose && !c->verbose)
        return;
    nc_buf line = NC_BUF_INIT;
    if (!e->file)
        nc_buf_printf(&line, "%s: ", c->prog);
    nc_diag_format(e, &line);
    nc_buf_putc(&line, '\n');
    fputs(nc_buf_cstr(&line), stderr);
    nc_buf_free(&line);
}

/* The temporary output files while they exist, for the signal handler to remove. Batch
 * conversions write from several threads at once, so each write takes a slot (under a mutex,
 * never in the handler); a slot's path is copied before its file is created and published by
 * a flag the handler reads atomically. A write that finds no free slot, or whose path does not
 * fit, is simply not watched. */
#define TMP_SLOTS 64
/* An input this big makes megabytes of output: see cli_convert. */
#define BIG_INPUT ((size_t)256 * 1024)
typedef struct tmp_slot {
    char path[1024];
    volatile sig_atomic_t live;
    bool used; /* taken by a write in progress; guarded by tmp_lock */
} tmp_slot;
static tmp_slot tmp_slots[TMP_SLOTS];
static pthread_mutex_t tmp_lock = PTHREAD_MUTEX_INITIALIZER;

static void watch_tmp(const char *tmp, void *user)
{
    tmp_slot *slot = user;
    slot->live = 0;
    if (tmp && strlen(tmp) < sizeof slot->path) {
        memcpy(slot->path, tmp, strlen(tmp) + 1);
        slot->live = 1;
    }
}

/* nc_write_file, with its temporary file removed if a signal ends the process meanwhile. */
static int write_watched(const char *path, const void *data, size_t len, nc_diag *diag)
{
    tmp_slot *slot = NULL;
    pthread_mutex_lock(&tmp_lock);
    for (size_t i = 0; i < TMP_SLOTS && !slot; i++)
        if (!tmp_slots[i].used) {
            slot = &tmp_slots[i];
            slot->used = true;
        }
    pthread_mutex_unlock(&tmp_lock);
    if (!slot)
        return nc_write_file(path, data, len, diag);
    int rc = nc_write_file_watched(path, data, len, watch_tmp, slot, diag);
    slot->live = 0;
    pthread_mutex_lock(&tmp_lock);
    slot->used = false;
    pthread_mutex_unlock(&tmp_lock);
    return rc;
}

/* Async-signal-safe: removes the temporary output, then dies of the same signal (the
 * disposition was reset on entry), so that the parent sees how the run ended. */
static void on_fatal_signal(int sig)
{
    for (size_t i = 0; i < TMP_SLOTS; i++)
        if (tmp_slots[i].live)
            unlink(tmp_slots[i].path);
    raise(sig);
}

static void catch_fatal_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        /* a signal the caller ignores (nohup, a background job) stays ignored */
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "noteconv: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'noteconv --help' for more information.\n");
    return EXIT_USAGE;
}

/* arg as a whole number from lo to hi into *out: 0, else the usage error, naming opt */
static int int_arg(const char *opt, const char *arg, long lo, long hi, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < lo || v > hi) {
        fprintf(stderr, "noteconv: error: %s wants a number from %ld to %ld, not '%s'\n", opt, lo,
                hi, arg);
        fprintf(stderr, "Try 'noteconv --help' for more information.\n");
        return EXIT_USAGE;
    }
    *out = (int)v;
    return 0;
}

static void list_names(nc_buf *out, bool writers)
{
    size_t n = writers ? nc_writer_count() : nc_reader_count();
    for (size_t i = 0; i < n; i++) {
        if (i)
            nc_buf_puts(out, ", ");
        nc_buf_puts(out, writers ? nc_writer_at(i)->name : nc_reader_at(i)->name);
    }
}

static void list_formats(void)
{
    printf("Input formats:\n");
    for (size_t i = 0; i < nc_reader_count(); i++) {
        const nc_reader *r = nc_reader_at(i);
        printf("  %-10s %s (%s)\n", r->name, r->summary, r->extensions);
    }
    printf("Output formats:\n");
    for (size_t i = 0; i < nc_writer_count(); i++) {
        const nc_writer *w = nc_writer_at(i);
        printf(*w->extensions ? "  %-10s %s (%s)\n" : "  %-10s %s%s\n", w->name, w->summary,
               w->extensions);
    }
}

static void list_filters(void)
{
    for (size_t i = 0; i < nc_filter_count(); i++) {
        const nc_filter *f = nc_filter_at(i);
        printf("%-17s %s%s\n", f->name, f->summary, f->default_on ? " [default]" : "");
        if (f->args_help && *f->args_help)
            printf("%-17s arguments: %s\n", "", f->args_help);
    }
    printf("\nArguments: -F NAME=a,b (in order) or -F NAME:key=val,key=val (by name); the front\n"
           "matter's filters: [...] takes the same. Order: default filters, front matter\n"
           "filters, -F filters, then the toc of --toc.\n");
}

/* A -M value: pandoc reads it as a YAML scalar, so true/false are booleans. */
static nc_meta *meta_value(nc_doc *doc, const char *val)
{
    if (!val) {
        nc_meta *m = nc_meta_new(doc, NC_META_BOOL);
        m->b = true;
        return m;
    }
    if (strcmp(val, "true") == 0 || strcmp(val, "false") == 0) {
        nc_meta *m = nc_meta_new(doc, NC_META_BOOL);
        m->b = val[0] == 't';
        return m;
    }
    return nc_meta_new_string(doc, val, strlen(val));
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return false;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && S_ISREG(sa.st_mode);
}

typedef struct kvlist {
    nc_kv *items;
    size_t n;
} kvlist;

static void kv_push(kvlist *l, const char *arg)
{
    l->items = nc_xrealloc(l->items, (l->n + 1) * sizeof *l->items);
    char *key = nc_xstrdup(arg);
    char *eq = strchr(key, '=');
    if (!eq)
        eq = strchr(key, ':');
    if (eq)
        *eq = '\0';
    l->items[l->n].key = key;
    l->items[l->n].value = eq ? eq + 1 : NULL;
    l->n++;
}

static void kv_free(kvlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free((char *)l->items[i].key);
    free(l->items);
}

/* Merges a YAML metadata file under the document's own metadata (the document wins). */
static int read_metadata_file(nc_doc *doc, const char *path, const nc_options *opt,
                              nc_diag *diag)
{
    char *data;
    size_t len;
    if (nc_read_file(path, &data, &len, opt->max_input_size, diag) != 0)
        return -1;
    int rc = nc_read_metadata_file(doc, data, len, path, diag);
    free(data);
    return rc;
}

/* -t html,pdf: the writers in the order given, each once. */
static int parse_formats(const char *list, const nc_writer ***out, size_t *n)
{
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        char *name = nc_xstrdup(p);
        name[len] = '\0';
        const nc_writer *w = nc_writer_find(name);
        if (!w) {
            nc_buf valid = NC_BUF_INIT;
            list_names(&valid, true);
            fprintf(stderr, "noteconv: error: unknown output format '%s' (valid formats: %s)\n",
                    name, nc_buf_cstr(&valid));
            nc_buf_free(&valid);
            free(name);
            return -1;
        }
        free(name);
        bool seen = false;
        for (size_t i = 0; i < *n; i++)
            seen |= (*out)[i] == w;
        if (!seen) {
            *out = nc_xrealloc(*out, (*n + 1) * sizeof **out);
            (*out)[(*n)++] = w;
        }
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

/* gcc's -MD, -MF, -MT and -MP are two-letter options after one dash, which getopt would read
 * as -M (metadata) with an argument: they become the long options --MD, ... before parsing.
 * (-M D still sets metadata D.) -MMD is -MD: no system files are listed either way. */
static void gcc_options(int argc, char **argv)
{
    static char md[] = "--MD", mf[] = "--MF", mt[] = "--MT", mp[] = "--MP";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-MD") == 0 || strcmp(argv[i], "-MMD") == 0)
            argv[i] = md;
        else if (strcmp(argv[i], "-MF") == 0)
            argv[i] = mf;
        else if (strcmp(argv[i], "-MT") == 0)
            argv[i] = mt;
        else if (strcmp(argv[i], "-MP") == 0)
            argv[i] = mp;
    }
}

/* A copy for one more writer: filters see each output format (opt->target), as pandoc's do,
 * so each format gets the read document freshly filtered. */
static nc_doc *doc_copy(const nc_doc *src)
{
    nc_doc *d = nc_doc_new();
    nc_doc_set_path(d, nc_doc_path(src));
    nc_node_move_children(nc_node_copy(d, nc_doc_root(src)), nc_doc_root(d));
    const nc_meta *m = nc_doc_meta(src);
    for (size_t i = 0; i < m->n; i++)
        nc_meta_set(d, nc_doc_meta(d), m->keys[i], nc_meta_copy(d, m->items[i]));
    for (size_t i = 0; i < nc_doc_dependency_count(src); i++)
        nc_doc_add_dependency(d, nc_doc_dependency_at(src, i));
    return d;
}

int cli_convert(const cli_conf *c, cli_job *job, nc_diag *diag)
{
    int status = 0;
    size_t input_bytes = 0;
    nc_doc *doc = nc_doc_new();
    if (job->ninputs > 1) {
        /* several notes into one document (a book): their nodes' room at once */
        size_t total = 0;
        struct stat st;
        for (size_t i = 0; i < job->ninputs; i++)
            if (stat(job->inputs[i], &st) == 0 && S_ISREG(st.st_mode))
                total += (size_t)st.st_size;
        nc_doc_expect_input(doc, total);
    }
    for (size_t i = 0; i < job->ninputs && !status; i++) {
        const char *in = job->inputs[i];
        const nc_reader *reader = c->forced ? c->forced : nc_reader_for_path(in);
        if (!reader)
            reader = nc_reader_find("markdown");
        char *data;
        size_t len;
        if (nc_read_file(in, &data, &len, c->opt.max_input_size, diag) != 0) {
            status = EXIT_INPUT;
            break;
        }
        nc_doc_add_dependency(doc, in);
        input_bytes += len;
        /* a book has one chapter per note */
        bool chapter = job->ninputs > 1 && job->nouts == 1 &&
                       strcmp(job->outs[0].writer->name, "epub") == 0;
        if ((chapter ? nc_read_chapter(reader, doc, data, len, in, &c->opt, diag)
                     : reader->read(doc, data, len, in, &c->opt, diag)) != 0)
            status = EXIT_INPUT;
        free(data);
    }
    for (size_t i = 0; i < c->nmetafiles && !status; i++) {
        if (read_metadata_file(doc, c->metafiles[i], &c->opt, diag) != 0)
            status = EXIT_INPUT;
        nc_doc_add_dependency(doc, c->metafiles[i]);
    }
    for (size_t i = 0; i < c->nmetas && !status; i++)
        nc_meta_set(doc, nc_doc_meta(doc), c->metas[i].key, meta_value(doc, c->metas[i].value));

    /* every output is rendered before any is written: a note that fails leaves none */
    nc_buf *bufs = nc_xcalloc(job->nouts, sizeof *bufs);
    char ***deps = nc_xcalloc(job->nouts, sizeof *deps);
    size_t *ndeps = nc_xcalloc(job->nouts, sizeof *ndeps);
    for (size_t o = 0; o < job->nouts && !status; o++) {
        const nc_writer *w = job->outs[o].writer;
        nc_options wopt = c->opt;
        wopt.target = w->name;
        wopt.output = job->outs[o].path; /* for filters that write paths relative to it */
        nc_doc *d = job->nouts > 1 ? doc_copy(doc) : doc;
        /* A big output's room at once: untouched room costs nothing, where doubling copies
           megabytes into fresh pages. Outputs are up to a few times their input's size. */
        if (input_bytes >= BIG_INPUT && input_bytes <= SIZE_MAX / 4)
            nc_buf_reserve(&bufs[o], input_bytes * 4);
        if (nc_chain_run(c->chain, d, &wopt, diag) != 0)
            status = EXIT_FILTER;
        else if (w->render(d, &wopt, &bufs[o], diag) != 0)
            status = EXIT_INPUT;
        ndeps[o] = nc_doc_dependency_count(d);
        deps[o] = nc_xcalloc(ndeps[o] + 1, sizeof *deps[o]);
        for (size_t i = 0; i < ndeps[o]; i++)
            deps[o][i] = nc_xstrdup(nc_doc_dependency_at(d, i));
        if (d != doc)
            nc_doc_free(d);
    }
    for (size_t o = 0; o < job->nouts && !status; o++) {
        const char *path = job->outs[o].path;
        if (job->make_dirs && cli_make_dirs(path, diag) != 0)
            status = EXIT_OUTPUT;
        else if (write_watched(path, bufs[o].ptr ? bufs[o].ptr : "", bufs[o].len, diag) != 0)
            status = EXIT_OUTPUT;
    }
    if (!status && c->dep_file &&
        cli_write_deps(c, job, (char **const *)deps, ndeps, diag) != 0)
        status = EXIT_OUTPUT;
    for (size_t o = 0; o < job->nouts; o++) {
        nc_buf_free(&bufs[o]);
        for (size_t i = 0; i < ndeps[o]; i++)
            free(deps[o][i]);
        free(deps[o]);
    }
    free(bufs);
    free(deps);
    free(ndeps);
    nc_doc_free(doc);
    return job->status = status;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"read", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"write", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"standalone", no_argument, NULL, 's'},
        {"template", required_argument, NULL, OPT_TEMPLATE},
        {"css", required_argument, NULL, 'c'},
        {"variable", required_argument, NULL, 'V'},
        {"metadata", required_argument, NULL, 'M'},
        {"metadata-file", required_argument, NULL, OPT_METADATA_FILE},
        {"builtin", required_argument, NULL, 'F'},
        {"no-filter", required_argument, NULL, OPT_NO_FILTER},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"filter-timeout", required_argument, NULL, OPT_FILTER_TIMEOUT},
        {"no-hugo", no_argument, NULL, OPT_NO_HUGO},
        {"resource-path", required_argument, NULL, OPT_RESOURCE_PATH},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"toc", no_argument, NULL, OPT_TOC},
        {"table-of-contents", no_argument, NULL, OPT_TOC},
        {"toc-depth", required_argument, NULL, OPT_TOC_DEPTH},
        {"pandoc-api", required_argument, NULL, OPT_PANDOC_API},
        {"output-dir", required_argument, NULL, 'd'},
        {"base", required_argument, NULL, OPT_BASE},
        {"jobs", required_argument, NULL, 'j'},
        {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
        {"keep-going", no_argument, NULL, OPT_KEEP_GOING},
        {"newer", no_argument, NULL, OPT_NEWER},
        {"MD", no_argument, NULL, OPT_MD},
        {"MF", required_argument, NULL, OPT_MF},
        {"MT", required_argument, NULL, OPT_MT},
        {"MP", no_argument, NULL, OPT_MP},
        {"list-formats", no_argument, NULL, OPT_LIST_FORMATS},
        {"list-filters", no_argument, NULL, OPT_LIST_FILTERS},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli c = {0, false, "noteconv"};
    nc_options opt;
    nc_options_init(&opt);
    const char *from = NULL, *to = NULL, *output = "-";
    const char **css = NULL;
    size_t ncss = 0;
    const char **metafiles = NULL;
    size_t nmetafiles = 0;
    kvlist vars = {0}, metas = {0};
    nc_diag *diag = nc_diag_new();
    nc_diag_set_callback(diag, print_diag, &c);
    nc_chain *chain = nc_chain_new();
    int status = 0, ch;
    const char *outdir = NULL, *base = NULL;
    int jobs = 0;
    bool fail_fast = false;
    cli_conf conf = {0};
    const char **dep_targets = NULL;
    const nc_writer **writers = NULL;
    size_t nwriters = 0;
    gcc_options(argc, argv);
    catch_fatal_signals();

    while ((ch = getopt_long(argc, argv, "f:t:o:sc:V:M:F:d:j:qvh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 's':
            opt.standalone = true;
            break;
        case OPT_TEMPLATE:
            opt.template_path = optarg;
            break;
        case 'c':
            css = nc_xrealloc(css, (ncss + 1) * sizeof *css);
            css[ncss++] = optarg;
            break;
        case 'V':
            kv_push(&vars, optarg);
            if (!vars.items[vars.n - 1].value)
                vars.items[vars.n - 1].value = "true";
            break;
        case 'M':
            kv_push(&metas, optarg);
            break;
        case OPT_METADATA_FILE:
            metafiles = nc_xrealloc(metafiles, (nmetafiles + 1) * sizeof *metafiles);
            metafiles[nmetafiles++] = optarg;
            break;
        case 'F':
            if (nc_chain_add(chain, optarg, diag) != 0)
                status = nc_filter_spec_is_plugin(optarg) ? EXIT_FILTER : EXIT_USAGE;
            break;
        case OPT_NO_FILTER:
            if (nc_chain_disable(chain, optarg, diag) != 0)
                status = EXIT_USAGE;
            break;
        case OPT_FILTER:
            if (nc_chain_add_program(chain, optarg, diag) != 0)
                status = EXIT_USAGE;
            break;
        case OPT_FILTER_TIMEOUT: {
            char *end;
            double t = strtod(optarg, &end);
            if (end == optarg || *end || !(t >= 0 && t <= 1e9)) {
                status = usage_error("--filter-timeout wants seconds (0: no limit), not '%s'",
                                     optarg);
                goto done;
            }
            nc_chain_set_timeout(chain, t);
            break;
        }
        case OPT_NO_HUGO:
            if (nc_chain_disable(chain, "hugo-shortcodes", diag) != 0)
                status = EXIT_USAGE;
            break;
        case OPT_RESOURCE_PATH:
            opt.resource_path = optarg;
            break;
        case OPT_MAX_DEPTH:
            if ((status = int_arg("--max-depth", optarg, 1, 1000000, &opt.max_depth)) != 0)
                goto done;
            break;
        case OPT_TOC:
            opt.toc = true;
            break;
        case OPT_TOC_DEPTH:
            if ((status = int_arg("--toc-depth", optarg, 1, 6, &opt.toc_depth)) != 0)
                goto done;
            break;
        case OPT_PANDOC_API:
            if (strcmp(optarg, "1.22") != 0 && strcmp(optarg, "1.23") != 0) {
                status = usage_error("--pandoc-api wants 1.22 or 1.23, not '%s'", optarg);
                goto done;
            }
            opt.pandoc_api = optarg[3] == '2' ? 22 : 23;
            break;
        case 'd':
            outdir = optarg;
            break;
        case OPT_BASE:
            base = optarg;
            break;
        case 'j':
            if ((status = int_arg("-j", optarg, 1, 1024, &jobs)) != 0)
                goto done;
            break;
        case OPT_FAIL_FAST:
            fail_fast = true;
            break;
        case OPT_KEEP_GOING:
            fail_fast = false;
            break;
        case OPT_NEWER:
            conf.newer = true;
            break;
        case OPT_MD:
            conf.dep_file = true;
            break;
        case OPT_MF:
            conf.dep_file = true;
            conf.dep_path = optarg;
            break;
        case OPT_MT:
            dep_targets = nc_xrealloc(dep_targets, (conf.ndep_targets + 1) * sizeof *dep_targets);
            dep_targets[conf.ndep_targets++] = optarg;
            break;
        case OPT_MP:
            conf.dep_phony = true;
            break;
        case OPT_LIST_FORMATS:
            list_formats();
            goto done;
        case OPT_LIST_FILTERS:
            list_filters();
            goto done;
        case 'q':
            c.quiet = 1;
            break;
        case 'v':
            c.verbose = opt.verbose = true;
            break;
        case OPT_VERSION:
            printf("noteconv %s\n", NC_VERSION_STRING);
            goto done;
        case 'h':
            for (size_t i = 0; usage_text[i]; i++)
                fputs(usage_text[i], stdout);
            goto done;
        default:
            fputs("Try 'noteconv --help' for more information.\n", stderr);
            status = EXIT_USAGE;
            goto done;
        }
    }
    if (status)
        goto done;
    opt.css = css;
    opt.ncss = ncss;
    opt.vars = vars.items;
    opt.nvars = vars.n;

    const char *stdin_only[] = {"-"};
    char **inputs = optind < argc ? argv + optind : (char **)stdin_only;
    int ninputs = optind < argc ? argc - optind : 1;
    for (int i = 0; i < ninputs; i++)
        if (same_file(inputs[i], output)) {
            status = usage_error("the output '%s' is an input: refusing to overwrite it",
                                 output);
            goto done;
        }
    if (outdir && strcmp(output, "-") != 0) {
        status = usage_error("-o names one output and -d a folder of them: give one (%s)",
                             "use -d DIR for one output per input");
        goto done;
    }
    if (to) {
        if (parse_formats(to, &writers, &nwriters) != 0) {
            status = EXIT_USAGE;
            goto done;
        }
        if (nwriters > 1 && !outdir) {
            status = usage_error("several formats (-t %s) need -d DIR: one output per format",
                                 to);
            goto done;
        }
    } else if (!outdir && strcmp(output, "-") != 0) {
        const nc_writer *w = nc_writer_for_path(output);
        if (!w) {
            status = usage_error("cannot tell the output format from '%s'; use -t FORMAT",
                                 output);
            goto done;
        }
        writers = nc_xrealloc(writers, sizeof *writers);
        writers[nwriters++] = w;
    } else {
        writers = nc_xrealloc(writers, sizeof *writers);
        writers[nwriters++] = nc_writer_find("html");
    }
    opt.target = writers[0]->name;
    opt.output = output;

    const nc_reader *forced = NULL;
    if (from) {
        forced = nc_reader_find(from);
        if (!forced) {
            nc_buf valid = NC_BUF_INIT;
            list_names(&valid, false);
            fprintf(stderr, "noteconv: error: unknown input format '%s' (valid formats: %s)\n",
                    from, nc_buf_cstr(&valid));
            nc_buf_free(&valid);
            status = EXIT_USAGE;
            goto done;
        }
    }
    if ((conf.ndep_targets || conf.dep_phony) && !conf.dep_file) {
        status = usage_error("%s: -MT and -MP go with -MD or -MF", "no dependency file");
        goto done;
    }

    conf.opt = opt;
    conf.forced = forced;
    conf.chain = chain;
    conf.metafiles = metafiles;
    conf.nmetafiles = nmetafiles;
    conf.metas = metas.items;
    conf.nmetas = metas.n;
    conf.dep_targets = dep_targets;
    conf.print = print_diag;
    conf.print_user = &c;

    if (!outdir) {
        /* one document from all inputs, as pandoc does */
        if (writers[0]->binary && strcmp(output, "-") == 0 && isatty(STDOUT_FILENO)) {
            status = usage_error("%s output is binary: give -o FILE or redirect it",
                                 writers[0]->name);
            goto done;
        }
        if (conf.dep_file && strcmp(output, "-") == 0 &&
            (!conf.dep_path || !conf.ndep_targets)) {
            status = usage_error("%s: give -o FILE, or -MF FILE and -MT TARGET",
                                 "the dependency file of standard output needs a name");
            goto done;
        }
        cli_output out = {writers[0], (char *)output};
        cli_job job = {.inputs = (const char *const *)inputs, .ninputs = (size_t)ninputs,
                       .outs = &out, .nouts = 1, .label = inputs[0]};
        if (conf.newer && cli_up_to_date(&conf, &job))
            goto done;
        status = cli_convert(&conf, &job, diag);
    } else {
        for (int i = 0; i < ninputs; i++)
            if (strcmp(inputs[i], "-") == 0) {
                status = usage_error("%s: -d converts files, not standard input", "-");
                goto done;
            }
        if (ninputs > 1 && (conf.dep_path || conf.ndep_targets)) {
            status = usage_error("%s: -MF and -MT describe one conversion; with several "
                                 "inputs use -MD (a .d file beside each output)",
                                 "dependency files");
            goto done;
        }
        cli_job *list;
        if (cli_plan(outdir, base, inputs, (size_t)ninputs, writers, nwriters, &list) != 0) {
            status = EXIT_USAGE;
            goto done;
        }
        if (jobs == 0) {
            long n = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
        }
        status = cli_run(&conf, list, (size_t)ninputs, jobs, fail_fast, c.quiet, ninputs > 1);
        cli_jobs_free(list, (size_t)ninputs);
    }

done:
    nc_chain_free(chain);
    nc_diag_free(diag);
    kv_free(&vars);
    kv_free(&metas);
    free(css);
    free(metafiles);
    free(writers);
    free(dep_targets);
    return status;
}
