/* filter_main.c — noteconv-filter, noteconv's built-in filters as a pandoc JSON filter: pandoc
 * JSON in on stdin, the chosen filters, pandoc JSON out in the API version it came in. Like
 * main.c it is a thin user of the library and the only place here that prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extfilter.h"

enum {
    EXIT_USAGE = 2,
    EXIT_INPUT = 3,
    EXIT_OUTPUT = 4,
    EXIT_FILTER = 5
};

static const char usage_text[] =
    "Usage: pandoc --filter noteconv-filter ...\n"
    "       noteconv-filter [FORMAT] < in.json > out.json\n"
    "Apply noteconv's built-in filters to a pandoc document: reads pandoc's JSON AST\n"
    "(pandoc-api 1.22 or 1.23) on standard input and writes it, filtered, on standard output\n"
    "in the same API version. FORMAT is the output format pandoc is writing (pandoc passes\n"
    "it); filters may use it.\n"
    "\n"
    "The filters run in the order given by, first found:\n"
    "  the metadata field noteconv-filters   a list (noteconv-filters: [hugo-shortcodes])\n"
    "                                        or a comma-separated string\n"
    "  the environment variable NOTECONV_FILTERS   a comma-separated string\n"
    "Each entry is NAME or NAME=ARGS, as with noteconv -F. The filters that noteconv runs by\n"
    "default run here only when named. With none chosen the document passes unchanged.\n"
    "\n"
    "  --list-filters   list the built-in filters\n"
    "  --version        print the version\n"
    "  -h, --help       print this help\n"
    "\n"
    "Exit status: 0 success, 2 usage error (an unknown filter), 3 unreadable input,\n"
    "4 output error, 5 a filter failed.\n";

static void print_diag(const nc_diag_entry *e, void *user)
{
    (void)user;
    if (e->verbose)
        return;
    nc_buf line = NC_BUF_INIT;
    if (!e->file)
        nc_buf_puts(&line, "noteconv-filter: ");
    nc_diag_format(e, &line);
    nc_buf_putc(&line, '\n');
    fputs(nc_buf_cstr(&line), stderr);
    nc_buf_free(&line);
}

static bool known(const char *spec, size_t len)
{
    size_t n = strcspn(spec, "=:");
    if (n > len)
        n = len;
    for (size_t i = 0; i < nc_filter_count(); i++) {
        const char *name = nc_filter_at(i)->name;
        if (strlen(name) == n && strncmp(name, spec, n) == 0)
            return true;
    }
    return false;
}

static void push(char ***specs, size_t *n, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len)
        return;
    *specs = nc_xrealloc(*specs, (*n + 1) * sizeof **specs);
    (*specs)[(*n)++] = nc_xstrndup(s, len);
}

/* "a, b=x,y, c": a comma starts a new entry unless what follows it is no filter's name and
 * the entry before has arguments, which may then hold commas. */
static void split(char ***specs, size_t *n, const char *s)
{
    nc_buf cur = NC_BUF_INIT;
    bool have = false;
    for (const char *p = s;;) {
        size_t len = strcspn(p, ",");
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        bool args = have && strpbrk(cur.ptr, "=:");
        if (have && (!args || known(q, len - (size_t)(q - p)))) {
            push(specs, n, cur.ptr, cur.len);
            nc_buf_clear(&cur);
            have = false;
        }
        if (have)
            nc_buf_putc(&cur, ',');
        nc_buf_put(&cur, p, len);
        have = true;
        if (!p[len])
            break;
        p += len + 1;
    }
    if (have)
        push(specs, n, nc_buf_cstr(&cur), cur.len);
    nc_buf_free(&cur);
}

int main(int argc, char **argv)
{
    const char *target = "html";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("noteconv-filter %s\n", NC_VERSION_STRING);
            return 0;
        }
        if (strcmp(argv[i], "--list-filters") == 0) {
            for (size_t k = 0; k < nc_filter_count(); k++)
                printf("%-16s %s\n", nc_filter_at(k)->name, nc_filter_at(k)->summary);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "noteconv-filter: error: unknown option '%s'\n"
                            "Try 'noteconv-filter --help' for more information.\n",
                    argv[i]);
            return EXIT_USAGE;
        }
        if (i == 1)
            target = argv[i];
    }

    nc_diag *diag = nc_diag_new();
    nc_diag_set_callback(diag, print_diag, NULL);
    nc_options opt;
    nc_options_init(&opt);
    opt.target = target;
    nc_doc *doc = nc_doc_new();
    nc_chain *chain = nc_chain_new();
    char **specs = NULL;
    size_t nspecs = 0;
    char *data = NULL;
    size_t len = 0;
    int status = 0;
    const nc_reader *reader = nc_reader_find("json");
    const nc_writer *writer = nc_writer_find("json");
    if (!reader || !writer) {
        fputs("noteconv-filter: error: this noteconv has no pandoc JSON reader and writer\n",
              stderr);
        status = EXIT_INPUT;
        goto done;
    }
    if (nc_read_file("-", &data, &len, 0, diag) != 0 ||
        reader->read(doc, data, len, "<stdin>", &opt, diag) != 0) {
        status = EXIT_INPUT;
        goto done;
    }
    /* the answer goes out in the API version the question came in */
    int major, minor;
    if (nc_pandoc_json_api(data, len, &major, &minor) == 0)
        opt.pandoc_api = minor;

    const nc_meta *m = nc_meta_get(nc_doc_meta(doc), "noteconv-filters");
    const char *env = getenv("NOTECONV_FILTERS");
    nc_buf text = NC_BUF_INIT;
    if (m && m->kind == NC_META_LIST) {
        for (size_t i = 0; i < m->n; i++) {
            nc_buf_clear(&text);
            nc_meta_text(m->items[i], &text);
            push(&specs, &nspecs, text.ptr ? text.ptr : "", text.len);
        }
    } else if (m) {
        nc_meta_text(m, &text);
        split(&specs, &nspecs, nc_buf_cstr(&text));
    } else if (env) {
        split(&specs, &nspecs, env);
    }
    nc_buf_free(&text);
    if (!nspecs) {
        fputs("noteconv-filter: warning: no filters chosen (set metadata noteconv-filters or "
              "NOTECONV_FILTERS); the document passes unchanged\n",
              stderr);
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            perror("noteconv-filter: error: cannot write");
            status = EXIT_OUTPUT;
        }
        goto done;
    }
    /* the defaults (heading ids, shortcodes) only run when named: pandoc did its part */
    for (size_t i = 0; i < nc_filter_count(); i++)
        if (nc_filter_at(i)->default_on)
            nc_chain_disable(chain, nc_filter_at(i)->name, diag);
    for (size_t i = 0; i < nspecs; i++)
        if (nc_chain_add(chain, specs[i], diag) != 0)
            status = EXIT_USAGE;
    if (status)
        goto done;
    if (nc_chain_run(chain, doc, &opt, diag) != 0) {
        status = EXIT_FILTER;
        goto done;
    }
    nc_buf out = NC_BUF_INIT;
    if (writer->render(doc, &opt, &out, diag) != 0)
        status = EXIT_FILTER;
    else if (nc_write_file("-", out.ptr ? out.ptr : "", out.len, diag) != 0)
        status = EXIT_OUTPUT;
    nc_buf_free(&out);

done:
    for (size_t i = 0; i < nspecs; i++)
        free(specs[i]);
    free(specs);
    free(data);
    nc_chain_free(chain);
    nc_doc_free(doc);
    nc_diag_free(diag);
    return status;
}
