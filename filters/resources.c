/* resources.c — the resources filter: finds the file behind each local image (the rule of
 * src/resolve.c, which the PDF writer uses too) and rewrites the image's URL so that it works
 * from the output, or embeds it as a data: URL; missing images are warned about at their
 * file:line:col. It reads image files only to embed them, and never uses the network. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/internal.h"

typedef enum mode {
    MODE_AUTO,     /* absolute for writers that read the files, else relative to the output */
    MODE_ABSOLUTE, /* absolute paths */
    MODE_RELATIVE, /* relative to the output's folder, whatever the target */
    MODE_EMBED     /* data: URLs, for writers that link to images */
} mode;

/* An image larger than this is linked, not embedded: a page that size is no longer a page. */
#define EMBED_MAX ((long)16 * 1024 * 1024)

/* One embedded file, so that a photo shown twice is read and encoded once. */
typedef struct embedded {
    char *real;
    const char *data; /* in the document's arena; NULL when it could not be embedded */
} embedded;

typedef struct ctx {
    nc_doc *doc;
    const nc_options *opt;
    nc_diag *diag;
    const char *note;  /* the note's path, NULL for stdin */
    char *outdir;      /* the output's folder, canonical; NULL when it cannot be known */
    bool absolute;     /* this run writes absolute paths */
    bool strict;       /* a missing image is an error */
    bool embed;        /* this run writes data: URLs */
    embedded *done;
    size_t ndone;
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
        else if (n == 5 && strncmp(p, "embed", 5) == 0)
            *m = MODE_EMBED;
        else if (n == 6 && strncmp(p, "strict", 6) == 0)
            c->strict = true;
        else if (n > 0) {
            nc_diag_report(c->diag, NC_DIAG_ERROR, NULL,
                           "resources: unknown argument '%.*s' (valid: absolute, relative, "
                           "embed, strict)", (int)n, p);
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

/* The media type of an image file from its first bytes, or NULL when it is none we know. */
static const char *media_type(const unsigned char *p, size_t n)
{
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
        return "image/jpeg";
    if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return "image/gif";
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (n >= 12 && memcmp(p + 4, "ftypavif", 8) == 0)
        return "image/avif";
    /* SVG is text: its root element near the start, after an XML declaration or comments */
    size_t lim = n < 4096 ? n : 4096;
    for (size_t i = 0; i + 4 <= lim; i++)
        if (p[i] == '<' && memcmp(p + i + 1, "svg", 3) == 0)
            return "image/svg+xml";
    return NULL;
}

static void base64(const unsigned char *p, size_t n, nc_buf *out)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    nc_buf_grow(out, (n + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[v >> 12 & 63], tab[v >> 6 & 63], tab[v & 63]};
        nc_buf_put(out, q, 4);
    }
    if (i < n) {
        unsigned long v = (unsigned long)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)p[i + 1] << 8;
        char q[4] = {tab[v >> 18], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=', '='};
        nc_buf_put(out, q, 4);
    }
}

/* The file as a data: URL in the document, or NULL (warned) when it cannot be embedded. */
static const char *embed(ctx *c, const nc_node *n, const char *real)
{
    for (size_t i = 0; i < c->ndone; i++)
        if (strcmp(c->done[i].real, real) == 0)
            return c->done[i].data;
    const char *why = NULL, *type = NULL;
    unsigned char *data = NULL;
    long size = 0;
    FILE *fp = fopen(real, "rb");
    if (!fp || fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        why = strerror(errno);
    } else if (size > EMBED_MAX) {
        why = "larger than 16 MB";
    } else {
        data = nc_xmalloc((size_t)size + 1);
        if (fread(data, 1, (size_t)size, fp) != (size_t)size)
            why = "cannot read it";
        else if (!(type = media_type(data, (size_t)size)))
            why = "not a PNG, JPEG, GIF, WebP, AVIF or SVG image";
    }
    if (fp)
        fclose(fp);
    const char *url = NULL;
    if (why) {
        nc_diag_report(c->diag, NC_DIAG_WARNING, &n->pos, "image '%s' is linked, not embedded: %s",
                       n->url, why);
    } else {
        nc_buf_clear(&c->tmp);
        nc_buf_printf(&c->tmp, "data:%s;base64,", type);
        base64(data, (size_t)size, &c->tmp);
        url = nc_doc_strndup(c->doc, c->tmp.ptr, c->tmp.len);
    }
    free(data);
    c->done = nc_xrealloc(c->done, (c->ndone + 1) * sizeof *c->done);
    c->done[c->ndone].real = nc_xstrdup(real);
    c->done[c->ndone++].data = url;
    return url;
}

/* The URL that replaces url, or NULL to leave it (remote, empty or missing). With embed, *data
 * gets the data: URL when the file could be embedded. */
static const char *rewrite(ctx *c, const nc_node *n, const char *url, const char **data)
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
    nc_doc_add_dependency(c->doc, real); /* for -MD: the output uses this file */
    *data = c->embed ? embed(c, n, real) : NULL;
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
    /* a PDF or EPUB carries its images anyway, and the PDF writer reads no data: URLs */
    c.absolute = m == MODE_ABSOLUTE || ((m == MODE_AUTO || m == MODE_EMBED) &&
                                        reads_files(opt->target));
    c.embed = m == MODE_EMBED && !c.absolute;
    if (!c.absolute)
        c.outdir = folder_of(opt->output && strcmp(opt->output, "-") != 0 ? opt->output : "");
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER || n->kind != NC_IMAGE)
            continue;
        const char *old = n->url, *data = NULL;
        const char *url = rewrite(&c, n, old, &data);
        if (!url)
            continue;
        n->url = data ? data : url;
        /* [![alt](a.png)](a.png), and Hugo's figure with link=: the link opens the picture
         * (as a file: browsers do not open data: URLs from a page) */
        nc_node *p = n->parent;
        if (p && p->kind == NC_LINK && p->first == n && p->last == n && p->url &&
            strcmp(p->url, old) == 0)
            p->url = url;
    }
    free(c.outdir);
    for (size_t i = 0; i < c.ndone; i++)
        free(c.done[i].real);
    free(c.done);
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
    "absolute | relative (paths from the output even for PDF and EPUB) | embed (data: URLs, "
    "for one self-contained HTML file), strict (a missing image is an error)",
    false,
    run,
};
