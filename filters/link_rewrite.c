/* link_rewrite.c — the link-rewrite filter: links to other notes (foo.md, ../dir/foo.md#x, and
 * what Hugo's ref/relref became) point at the converted files (foo.html, foo.pdf, ...) or at
 * Hugo's pretty URLs. URLs with a scheme (https:, mailto:), network paths and bare #anchors are
 * never touched; nor are links to anything but Markdown files. It only stats files (for
 * root=), never reads one. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/internal.h"

typedef struct conf {
    char ext[32];   /* with its dot */
    bool pretty;    /* Hugo's pretty URLs: foo.md -> foo/ */
    bool up;        /* pretty: the note is served one folder down (x.md at x/) */
    char *root;     /* root=: the content folder, canonical; NULL when not given */
    char *notedir;  /* root=: the note's folder, canonical */
} conf;

/* The output's first extension, from the writer table: ".html" for html, ".pdf" for pdf. */
static void default_ext(const char *target, conf *cf)
{
    const nc_writer *w = target ? nc_writer_find(target) : NULL;
    const char *e = w && w->extensions && w->extensions[0] == '.' ? w->extensions : ".html";
    size_t n = strcspn(e, " ");
    if (n >= sizeof cf->ext)
        n = sizeof cf->ext - 1;
    memcpy(cf->ext, e, n);
    cf->ext[n] = '\0';
}

static int set_ext(conf *cf, const char *v, size_t n, nc_diag *diag)
{
    size_t dot = v[0] == '.' ? 0 : 1;
    if (n + dot >= sizeof cf->ext || strcspn(v, "/?#") < n) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "link-rewrite: bad extension '%.*s'", (int)n,
                       v);
        return -1;
    }
    cf->ext[0] = '.';
    memcpy(cf->ext + dot, v, n);
    cf->ext[n + dot] = '\0';
    return 0;
}

static int parse_args(conf *cf, const char *args, nc_diag *diag)
{
    for (const char *p = args; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n > 4 && strncmp(p, "ext=", 4) == 0) {
            if (set_ext(cf, p + 4, n - 4, diag) != 0)
                return -1;
        } else if (n > 1 && p[0] == '.') {
            if (set_ext(cf, p, n, diag) != 0)
                return -1;
        } else if (n == 6 && strncmp(p, "pretty", 6) == 0) {
            cf->pretty = true;
        } else if (n > 5 && strncmp(p, "root=", 5) == 0) {
            char *dir = nc_xstrndup(p + 5, n - 5);
            free(cf->root);
            cf->root = realpath(dir, NULL);
            if (!cf->root) {
                nc_diag_report(diag, NC_DIAG_ERROR, NULL, "link-rewrite: root '%s' is not a "
                               "folder", dir);
                free(dir);
                return -1;
            }
            free(dir);
        } else if (n > 0) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "link-rewrite: unknown argument '%.*s' (valid: ext=.EXT, pretty, "
                           "root=DIR)",
                           (int)n, p);
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* A URL with a scheme ("https:", "mailto:", "file:") or a network path. */
static bool has_scheme(const char *url)
{
    if (url[0] == '/' && url[1] == '/')
        return true;
    size_t i = 0;
    while ((url[i] >= 'a' && url[i] <= 'z') || (url[i] >= 'A' && url[i] <= 'Z') ||
           (i > 0 && ((url[i] >= '0' && url[i] <= '9') || url[i] == '+' || url[i] == '-' ||
                      url[i] == '.')))
        i++;
    return i > 0 && url[i] == ':';
}

/* The length of the Markdown extension that ends path[0..n), or 0. */
static size_t md_ext(const char *path, size_t n)
{
    if (n > 3 && strncasecmp(path + n - 3, ".md", 3) == 0 && path[n - 4] != '/')
        return 3;
    if (n > 9 && strncasecmp(path + n - 9, ".markdown", 9) == 0 && path[n - 10] != '/')
        return 9;
    return 0;
}

/* Is the last component of path[0..n) (without its extension of e bytes) an index page? */
static bool is_index(const char *path, size_t n, size_t e)
{
    size_t end = n - e, start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t len = end - start;
    return (len == 5 && strncmp(path + start, "index", 5) == 0) ||
           (len == 6 && strncmp(path + start, "_index", 6) == 0);
}

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

static bool is_file(const char *dir, const char *rel, size_t n, nc_buf *tmp, char **real)
{
    nc_buf_clear(tmp);
    nc_buf_puts(tmp, dir);
    nc_buf_putc(tmp, '/');
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (rel[i] == '%' && i + 2 < n && (hi = hexval(rel[i + 1])) >= 0 &&
            (lo = hexval(rel[i + 2])) >= 0 && (hi | lo)) {
            nc_buf_putc(tmp, hi << 4 | lo);
            i += 2;
        } else {
            nc_buf_putc(tmp, rel[i]);
        }
    }
    *real = realpath(nc_buf_cstr(tmp), NULL);
    return *real != NULL;
}

/* root=: a link that names no file from the note's folder but one under the content root
 * (Hugo looks up ref "2019/x.md" both ways; "/2019/x.md" means the root) becomes the path to
 * it from the note's folder, URL-encoded, in out. */
static bool from_root(const conf *cf, const char *url, size_t n, nc_buf *out)
{
    nc_buf tmp = NC_BUF_INIT;
    char *real = NULL;
    bool here = url[0] != '/' && is_file(cf->notedir, url, n, &tmp, &real);
    free(real);
    real = NULL;
    size_t skip = url[0] == '/';
    bool found = !here && is_file(cf->root, url + skip, n - skip, &tmp, &real);
    if (found) {
        nc_buf rel = NC_BUF_INIT;
        nc_path_relative(cf->notedir, real, &rel);
        nc_url_encode_path(nc_buf_cstr(&rel), out);
        nc_buf_free(&rel);
    }
    free(real);
    nc_buf_free(&tmp);
    return found;
}

/* path[0..n), whose Markdown extension takes its last e bytes, as the output's URL, then
 * suffix (the ?query#fragment). */
static void emit(const conf *cf, const char *path, size_t n, size_t e, const char *suffix,
                 nc_buf *out)
{
    if (!cf->pretty) {
        nc_buf_put(out, path, n - e);
        nc_buf_puts(out, cf->ext);
    } else {
        if (cf->up && path[0] != '/')
            nc_buf_puts(out, "../");
        if (is_index(path, n, e)) {
            size_t start = n - e;
            while (start > 0 && path[start - 1] != '/')
                start--;
            nc_buf_put(out, path, start);
            if (start == 0 && !(cf->up && path[0] != '/'))
                nc_buf_puts(out, "./");
        } else {
            nc_buf_put(out, path, n - e);
            nc_buf_putc(out, '/');
        }
    }
    nc_buf_puts(out, suffix);
}

/* The new URL in out, or false to leave url as it is. */
static bool rewrite(const conf *cf, const char *url, nc_buf *out)
{
    if (!url || !*url || url[0] == '#' || url[0] == '?' || has_scheme(url))
        return false;
    size_t n = strcspn(url, "?#");
    size_t e = md_ext(url, n);
    if (!e)
        return false;
    nc_buf_clear(out);
    nc_buf found = NC_BUF_INIT;
    if (cf->root && cf->notedir && from_root(cf, url, n, &found))
        emit(cf, found.ptr, found.len, e, url + n, out);
    else
        emit(cf, url, n, e, url + n, out);
    nc_buf_free(&found);
    return true;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    conf cf = {0};
    default_ext(opt->target, &cf);
    if (parse_args(&cf, args, diag) != 0) {
        free(cf.root);
        return -1;
    }
    const char *note = nc_doc_path(doc);
    if (note && strcmp(note, "-") == 0)
        note = NULL;
    if (cf.pretty && note) {
        size_t n = strlen(note), e = md_ext(note, n);
        cf.up = !is_index(note, n, e);
    }
    if (cf.root) {
        /* standard input: links are taken from the current folder */
        const char *slash = note ? strrchr(note, '/') : NULL;
        char *dir = slash ? nc_xstrndup(note, slash == note ? 1 : (size_t)(slash - note))
                          : nc_xstrdup(".");
        cf.notedir = realpath(dir, NULL);
        free(dir);
    }
    nc_buf tmp = NC_BUF_INIT;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev == NC_EV_ENTER && n->kind == NC_LINK && rewrite(&cf, n->url, &tmp))
            n->url = nc_doc_strndup(doc, tmp.ptr, tmp.len);
    }
    nc_buf_free(&tmp);
    free(cf.root);
    free(cf.notedir);
    return 0;
}

const nc_filter nc_filter_link_rewrite = {
    "link-rewrite",
    "point links to Markdown files (foo.md#x, Hugo ref/relref) at the converted files: "
    "foo.html, foo.pdf, ... by the output format",
    "ext=.EXT (default: the output format's), pretty (Hugo's pretty URLs: foo.md -> ../foo/), "
    "root=DIR (the content folder: Hugo ref paths found under it become paths from the note)",
    false,
    run,
};
