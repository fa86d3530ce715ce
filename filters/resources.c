/* resources.c — the resources filter: finds the file behind each local image (the rule of
 * src/resolve.c, which the PDF writer uses too) and rewrites the image's URL so that it works
 * from the output; missing images are warned about at their file:line:col. It only stats files:
 * it never reads one or uses the network. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"

typedef enum mode {
    MODE_AUTO,     /* absolute for writers that read the files, else relative to the output */
    MODE_ABSOLUTE, /* absolute paths */
    MODE_RELATIVE  /* relative to the output's folder, whatever the target */
} mode;

typedef struct ctx {
    nc_doc *doc;
    const nc_options *opt;
    nc_diag *diag;
    const char *note;  /* the note's path, NULL for stdin */
    char *outdir;      /* the output's folder, canonical; NULL when it cannot be known */
    bool absolute;     /* this run writes absolute paths */
    bool strict;       /* a missing image is an error */
    size_t missing;
    nc_buf tmp;
} ctx;

/* The writers that open the image files themselves (a PDF embeds them, an EPUB packs them):
 * the path has to work from here, not from where the output will be read. */
static bool reads_files(const char *target)
{
    return target && (strncmp(target, "pdf", 3) == 0 || strncmp(target, "epub", 4) == 0);
}

static int parse_args(ctx *c, const char *args, mode *m)
{
    *m = MODE_AUTO;
    for (const char *p = args; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == 8 && strncmp(p, "absolute", 8) == 0)
            *m = MODE_ABSOLUTE;
        else if (n == 8 && strncmp(p, "relative", 8) == 0)
            *m = MODE_RELATIVE;
        else if (n == 6 && strncmp(p, "strict", 6) == 0)
            c->strict = true;
        else if (n > 0) {
            nc_diag_report(c->diag, NC_DIAG_ERROR, NULL,
                           "resources: unknown argument '%.*s' (valid: absolute, relative, "
                           "strict)", (int)n, p);
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* The canonical folder that holds path (which need not exist yet), malloc'd, or NULL. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? nc_xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : nc_xstrdup(".");
    char *real = realpath(dir, NULL);
    free(dir);
    return real;
}

/* The URL that replaces url, or NULL to leave it (remote, empty or missing). */
static const char *rewrite(ctx *c, const nc_node *n, const char *url)
{
    if (!url || !*url || url[0] == '#' || nc_image_is_remote(url))
        return NULL;
    char *path = nc_image_resolve(url, c->note, c->opt->resource_path);
    if (!path)
        return NULL;
    char *real = realpath(path, NULL);
    if (!real) {
        c->missing++;
        nc_diag_report(c->diag, c->strict ? NC_DIAG_ERROR : NC_DIAG_WARNING, &n->pos,
                       "image '%s' not found (looked for '%s'%s%s%s)", url, path,
                       url[0] == '/' ? "" : ", from the note's Hugo page folder",
                       c->opt->resource_path ? " and in " : "",
                       c->opt->resource_path ? c->opt->resource_path : "");
        free(path);
        return NULL;
    }
    free(path);
    nc_buf_clear(&c->tmp);
    if (c->absolute || !c->outdir) {
        nc_url_encode_path(real, &c->tmp);
    } else {
        nc_buf rel = NC_BUF_INIT;
        nc_path_relative(c->outdir, real, &rel);
        nc_url_encode_path(nc_buf_cstr(&rel), &c->tmp);
        nc_buf_free(&rel);
    }
    free(real);
    /* a query or fragment (an SVG view, a cache buster) still means something to a browser */
    const char *rest = url + strcspn(url, "?#");
    if (*rest && !c->absolute)
        nc_buf_puts(&c->tmp, rest);
    return nc_doc_strndup(c->doc, c->tmp.ptr, c->tmp.len);
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    ctx c = {0};
    c.doc = doc;
    c.opt = opt;
    c.diag = diag;
    mode m;
    if (parse_args(&c, args, &m) != 0)
        return -1;
    const char *note = nc_doc_path(doc);
    c.note = note && strcmp(note, "-") != 0 ? note : NULL;
    c.absolute = m == MODE_ABSOLUTE || (m == MODE_AUTO && reads_files(opt->target));
    if (!c.absolute)
        c.outdir = folder_of(opt->output && strcmp(opt->output, "-") != 0 ? opt->output : "");
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER || n->kind != NC_IMAGE)
            continue;
        const char *old = n->url;
        const char *url = rewrite(&c, n, old);
        if (!url)
            continue;
        n->url = url;
        /* [![alt](a.png)](a.png), and Hugo's figure with link=: the link opens the picture */
        nc_node *p = n->parent;
        if (p && p->kind == NC_LINK && p->first == n && p->last == n && p->url &&
            strcmp(p->url, old) == 0)
            p->url = url;
    }
    free(c.outdir);
    nc_buf_free(&c.tmp);
    if (c.strict && c.missing) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "resources: %zu image%s not found", c.missing,
                       c.missing == 1 ? "" : "s");
        return -1;
    }
    return 0;
}

const nc_filter nc_filter_resources = {
    "resources",
    "point local images at their files (beside the note, its Hugo page, --resource-path) from "
    "the output's folder; warn about missing ones",
    "absolute | relative (paths from the output even for PDF and EPUB), strict (a missing image "
    "is an error)",
    false,
    run,
};
