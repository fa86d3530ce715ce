/* main.c — the noteconv command: parses options, then reads, filters and writes through the
 * library. The only file that prints diagnostics and decides the exit status. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "noteconv/noteconv.h"

enum {
    EXIT_USAGE = 2,  /* bad options */
    EXIT_INPUT = 3,  /* an input could not be read or converted */
    EXIT_OUTPUT = 4, /* the output could not be written */
    EXIT_FILTER = 5  /* a filter failed */
};

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
    OPT_TOC_DEPTH
};

static const char usage_text[] =
    "Usage: noteconv [OPTIONS] [FILE...]\n"
    "Convert Markdown notes (GitHub-flavoured, with YAML or TOML front matter) into other\n"
    "formats. With no FILE, or when FILE is -, read standard input. Several FILEs make one\n"
    "document, in order.\n"
    "\n"
    "Formats:\n"
    "  -f, --from=FORMAT        input format (default: from the file name, else markdown)\n"
    "  -t, --to=FORMAT          output format: html, pdf, pdf-layout (default: from -o's\n"
    "                           extension, else html)\n"
    "      --list-formats       list the input and output formats\n"
    "\n"
    "Output:\n"
    "  -o, --output=FILE        write to FILE (default: standard output; - is stdout too);\n"
    "                           written to a temporary file and renamed, never half-written\n"
    "  -s, --standalone         a whole document (for HTML: a page with <head> and styles)\n"
    "      --template=FILE      a pandoc-style template for -s ($var$, $if$, $for$, ...)\n"
    "  -c, --css=URL            link a stylesheet (repeatable)\n"
    "      --toc                PDF: a table of contents after the title, with page\n"
    "                           numbers and links; also metadata toc: true)\n"
    "      --toc-depth=N        heading levels in it (default 3)\n"
    "  -V, --variable=KEY[=VAL] set a template/writer variable (repeatable); for PDF:\n"
    "                           papersize=a4|a5|b5|letter, margin=20mm, fontsize=10pt,\n"
    "                           mainfont, sansfont, monofont, CJKmainfont, CJKsansfont\n"
    "\n"
    "Metadata:\n"
    "  -M, --metadata=KEY[=VAL] set a metadata field, over the front matter's (no VAL: true)\n"
    "      --metadata-file=FILE read defaults for metadata from a YAML file\n"
    "\n"
    "Filters:\n"
    "  -F, --builtin=NAME[=ARGS] add a built-in filter to the chain, run in command-line\n"
    "                           order after the default ones (see --list-filters)\n"
    "      --no-filter=NAME     do not run the default filter NAME\n"
    "      --list-filters       list the built-in filters with their arguments\n"
    "\n"
    "Input:\n"
    "      --resource-path=DIRS folders (':'-separated) to look for images in\n"
    "      --max-depth=N        refuse nesting deeper than N (default 1000)\n"
    "\n"
    "Messages:\n"
    "  -q, --quiet              show errors only\n"
    "  -v, --verbose            also show notes of interest when checking a conversion\n"
    "      --version            print the version\n"
    "  -h, --help               print this help\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 input error, 4 output error, 5 filter error.\n"
    "Diagnostics are printed as FILE:LINE:COL: error|warning: MESSAGE.\n";

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

/* The temporary output file while it exists, for the signal handler to remove: the path is
 * copied before the file is created and published by a flag the handler reads atomically. */
static char tmp_output[4096];
static volatile sig_atomic_t tmp_output_live;

static void watch_tmp(const char *tmp, void *user)
{
    (void)user;
    tmp_output_live = 0;
    if (tmp && strlen(tmp) < sizeof tmp_output) {
        memcpy(tmp_output, tmp, strlen(tmp) + 1);
        tmp_output_live = 1;
    }
}

/* Async-signal-safe: removes the temporary output, then dies of the same signal (the
 * disposition was reset on entry), so that the parent sees how the run ended. */
static void on_fatal_signal(int sig)
{
    if (tmp_output_live)
        unlink(tmp_output);
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
        printf("  %-10s %s (%s)\n", w->name, w->summary, w->extensions);
    }
}

static void list_filters(void)
{
    for (size_t i = 0; i < nc_filter_count(); i++) {
        const nc_filter *f = nc_filter_at(i);
        printf("%-16s %s%s\n", f->name, f->summary, f->default_on ? " [default]" : "");
        if (f->args_help && *f->args_help)
            printf("%-16s arguments: %s\n", "", f->args_help);
    }
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
        {"resource-path", required_argument, NULL, OPT_RESOURCE_PATH},
        {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
        {"toc", no_argument, NULL, OPT_TOC},
        {"table-of-contents", no_argument, NULL, OPT_TOC},
        {"toc-depth", required_argument, NULL, OPT_TOC_DEPTH},
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
    catch_fatal_signals();

    while ((ch = getopt_long(argc, argv, "f:t:o:sc:V:M:F:qvh", longopts, NULL)) != -1) {
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
                status = EXIT_USAGE;
            break;
        case OPT_NO_FILTER:
            if (nc_chain_disable(chain, optarg, diag) != 0)
                status = EXIT_USAGE;
            break;
        case OPT_RESOURCE_PATH:
            opt.resource_path = optarg;
            break;
        case OPT_MAX_DEPTH: {
            char *end;
            long d = strtol(optarg, &end, 10);
            if (*end || d < 1 || d > 1000000) {
                status = usage_error("--max-depth wants a number from 1 to 1000000, not '%s'",
                                     optarg);
                goto done;
            }
            opt.max_depth = (int)d;
            break;
        }
        case OPT_TOC:
            opt.toc = true;
            break;
        case OPT_TOC_DEPTH: {
            char *end;
            long d = strtol(optarg, &end, 10);
            if (*end || d < 1 || d > 6) {
                status = usage_error("--toc-depth wants a number from 1 to 6, not '%s'", optarg);
                goto done;
            }
            opt.toc_depth = (int)d;
            break;
        }
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
            fputs(usage_text, stdout);
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
    const nc_writer *writer = NULL;
    if (to) {
        writer = nc_writer_find(to);
        if (!writer) {
            nc_buf valid = NC_BUF_INIT;
            list_names(&valid, true);
            fprintf(stderr, "noteconv: error: unknown output format '%s' (valid formats: %s)\n",
                    to, nc_buf_cstr(&valid));
            nc_buf_free(&valid);
            status = EXIT_USAGE;
            goto done;
        }
    } else if (strcmp(output, "-") != 0) {
        writer = nc_writer_for_path(output);
        if (!writer) {
            status = usage_error("cannot tell the output format from '%s'; use -t FORMAT",
                                 output);
            goto done;
        }
    } else {
        writer = nc_writer_find("html");
    }
    opt.target = writer->name;

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

    if (writer->binary && strcmp(output, "-") == 0 && isatty(STDOUT_FILENO)) {
        status = usage_error("%s output is binary: give -o FILE or redirect it", writer->name);
        goto done;
    }

    nc_doc *doc = nc_doc_new();
    for (int i = 0; i < ninputs && !status; i++) {
        const nc_reader *reader = forced ? forced : nc_reader_for_path(inputs[i]);
        if (!reader)
            reader = nc_reader_find("markdown");
        char *data;
        size_t len;
        if (nc_read_file(inputs[i], &data, &len, opt.max_input_size, diag) != 0) {
            status = EXIT_INPUT;
            break;
        }
        if (reader->read(doc, data, len, inputs[i], &opt, diag) != 0)
            status = EXIT_INPUT;
        free(data);
    }
    for (size_t i = 0; i < nmetafiles && !status; i++)
        if (read_metadata_file(doc, metafiles[i], &opt, diag) != 0)
            status = EXIT_INPUT;
    if (!status) {
        for (size_t i = 0; i < metas.n; i++)
            nc_meta_set(doc, nc_doc_meta(doc), metas.items[i].key,
                        meta_value(doc, metas.items[i].value));
        if (nc_chain_run(chain, doc, &opt, diag) != 0)
            status = EXIT_FILTER;
    }
    if (!status) {
        nc_buf out = NC_BUF_INIT;
        if (writer->render(doc, &opt, &out, diag) != 0)
            status = EXIT_INPUT;
        else if (nc_write_file_watched(output, out.ptr ? out.ptr : "", out.len, watch_tmp, NULL,
                                       diag) != 0)
            status = EXIT_OUTPUT;
        nc_buf_free(&out);
    }
    nc_doc_free(doc);

done:
    nc_chain_free(chain);
    nc_diag_free(diag);
    kv_free(&vars);
    kv_free(&metas);
    free(css);
    free(metafiles);
    return status;
}
