/* epub.c — the epub writer: an EPUB 3 book (zipped by zipw.c) of one XHTML chapter per note,
 * with its package document, navigation, NCX, stylesheet and local images. Deterministic; no
 * network. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "writer/pdf/image.h"
#include "writer/xhtml.h"
#include "writer/zipw.h"

typedef struct res {
    char *path;       /* the file on disk */
    char *name;       /* in the book: images/imgNNN.ext */
    const char *mime;
    size_t len; /* read straight into the book when it is zipped, not before */
} res;

typedef struct chapter {
    nc_node *blocks;
    char file[32];
    char *title;
    char *lang;
    nc_buf page;
    nc_xhtml x;
} chapter;

typedef struct book {
    nc_doc *doc;
    const nc_options *opt;
    nc_diag *diag;
    res *res;
    size_t nres, capres;
    const char *cur_file; /* the note of the chapter being written */
    const char *lang;     /* the book's: found once, it reads the whole text */
    int fails;
} book;

static bool is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The media type from the first bytes; NULL for what EPUB readers need not show. */
static const char *sniff(const char *d, size_t n, const char **ext)
{
    const unsigned char *u = (const unsigned char *)d;
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return *ext = "png", "image/png";
    if (n >= 3 && u[0] == 0xFF && u[1] == 0xD8 && u[2] == 0xFF)
        return *ext = "jpg", "image/jpeg";
    if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
        return *ext = "gif", "image/gif";
    return NULL;
}

/* The picture at path, in the book once however often it is used; NULL with why in *why. */
static const res *add_res(book *b, const char *path, const char **why)
{
    for (size_t i = 0; i < b->nres; i++)
        if (strcmp(b->res[i].path, path) == 0)
            return &b->res[i];
    nc_doc_add_dependency(b->doc, path); /* for -MD: the book changes when the file does */
    char head[16];
    size_t len = 0;
    ssize_t got = -1;
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            len = (size_t)st.st_size;
            got = read(fd, head, sizeof head);
        }
        close(fd);
    }
    if (got < 0) {
        *why = "cannot be read";
        return NULL;
    }
    /* the limit nc_read_file had for them: a picture is read whole into the book */
    if (len > NC_DEFAULT_MAX_INPUT) {
        *why = "is larger than the limit of 256 MiB";
        return NULL;
    }
    const char *ext = NULL;
    const char *mime = sniff(head, (size_t)got, &ext);
    if (!mime) {
        *why = "is not a PNG, JPEG or GIF picture";
        return NULL;
    }
    if (b->nres == b->capres) {
        b->capres = b->capres ? 2 * b->capres : 16;
        b->res = nc_xrealloc(b->res, b->capres * sizeof *b->res);
    }
    res *r = &b->res[b->nres++];
    r->path = nc_xstrdup(path);
    nc_buf name = NC_BUF_INIT;
    nc_buf_printf(&name, "images/img%03zu.%s", b->nres, ext);
    r->name = nc_buf_detach(&name, NULL);
    r->mime = mime;
    r->len = len;
    return r;
}

/* The len bytes of the file at path into dst: 0, or -1 when it cannot be read or has changed
 * size since add_res looked at it. */
static int read_exact(const char *path, char *dst, size_t len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t have = 0;
    char more;
    ssize_t n = 0;
    while (have < len) {
        n = read(fd, dst + have, len - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    if (have == len)
        while ((n = read(fd, &more, 1)) < 0 && errno == EINTR)
            ;
    close(fd);
    return have == len && n == 0 ? 0 : -1;
}

static bool inside_link(const nc_node *n)
{
    for (n = n->parent; n; n = n->parent)
        if (n->kind == NC_LINK)
            return true;
    return false;
}

/* Images of the note: local ones go in the book, remote ones become links, missing ones
 * leave their alt text. */
static void prepare(book *b, nc_node *blocks)
{
    nc_iter it;
    nc_iter_init(&it, blocks);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_EXIT || n->kind != NC_IMAGE || !n->url)
            continue;
        if (nc_image_is_remote(n->url)) {
            nc_diag_report(b->diag, NC_DIAG_WARNING | NC_DIAG_VERBOSE, &n->pos,
                           "remote image %s is not in the book: a link to it instead", n->url);
            if (inside_link(n)) {
                n->kind = NC_SPAN;
                n->url = NULL;
                continue;
            }
            n->kind = NC_LINK;
            if (!n->first) {
                nc_node *s = nc_node_new(b->doc, NC_STR, &n->pos);
                nc_node_set_text(b->doc, s, n->url, strlen(n->url));
                nc_node_append(n, s);
            }
            continue;
        }
        char *path = nc_image_resolve(n->url, n->pos.file, b->opt->resource_path);
        const char *why = "not found";
        const res *r = is_file(path) ? add_res(b, path, &why) : NULL;
        if (r) {
            n->url = nc_doc_strdup(b->doc, r->name);
        } else {
            nc_diag_report(b->diag, NC_DIAG_WARNING, &n->pos,
                           "image %s %s (%s): left out, its alt text kept", n->url, why,
                           path ? path : "");
            n->kind = NC_SPAN;
            n->url = NULL;
            n->title = NULL;
        }
        free(path);
    }
}

/* An <img> of raw HTML, found by the same rule as Markdown images. */
static char *raw_image(void *user, const char *src)
{
    book *b = user;
    /* Markdown images were put in the book already */
    for (size_t i = 0; i < b->nres; i++)
        if (strcmp(b->res[i].name, src) == 0)
            return nc_xstrdup(src);
    if (nc_image_is_remote(src))
        return NULL;
    char *path = nc_image_resolve(src, b->cur_file, b->opt->resource_path);
    const char *why = "not found";
    const res *r = is_file(path) ? add_res(b, path, &why) : NULL;
    if (!r) {
        nc_pos p = {b->cur_file, 0, 0};
        nc_diag_report(b->diag, NC_DIAG_WARNING, &p,
                       "image %s %s (%s): left out, its alt text kept", src, why,
                       path ? path : "");
    }
    free(path);
    return r ? nc_xstrdup(r->name) : NULL;
}

/* ---- dates and identifiers ---- */

static bool parse_date(const char *s, struct tm *tm)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3 || y < 1980 || y > 9999 || mo < 1 ||
        mo > 12 || d < 1 || d > 31)
        return false;
    const char *t = strpbrk(s, "T ");
    if (t && sscanf(t + 1, "%2d:%2d:%2d", &h, &mi, &sec) >= 2 &&
        (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60))
        h = mi = sec = 0;
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = mo - 1;
    tm->tm_mday = d;
    tm->tm_hour = h;
    tm->tm_min = mi;
    tm->tm_sec = sec;
    return true;
}

static time_t utc(struct tm *tm)
{
    /* timegm without _DEFAULT_SOURCE: days from the civil date */
    int y = tm->tm_year + 1900, m = tm->tm_mon + 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + tm->tm_mday - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)days * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

/* dcterms:modified: SOURCE_DATE_EPOCH, else the newest note's date, else now. */
static time_t modified(book *b, chapter *ch, size_t nch)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        long long v = strtoll(e, &end, 10);
        if (!*end && v >= 315532800LL && v < 253402300800LL)
            return (time_t)v;
    }
    time_t best = 0;
    struct tm tm;
    nc_buf t = NC_BUF_INIT;
    const nc_meta *d = nc_meta_get(nc_doc_meta(b->doc), "date");
    if (d) {
        nc_meta_text(d, &t);
        if (parse_date(nc_buf_cstr(&t), &tm))
            best = utc(&tm);
    }
    for (size_t i = 0; i < nch; i++) {
        const char *cd = ch[i].blocks->kind == NC_DIV ? nc_node_get_kv(ch[i].blocks, "date")
                                                      : NULL;
        if (cd && parse_date(cd, &tm) && utc(&tm) > best)
            best = utc(&tm);
    }
    nc_buf_free(&t);
    return best ? best : time(NULL);
}

/* The hash as a version 5 style UUID URN. */
static void uuid_urn(const uint64_t h[2], nc_buf *out)
{
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(h[0] >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(h[1] >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x50);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    nc_buf_puts(out, "urn:uuid:");
    for (int i = 0; i < 16; i++)
        nc_buf_printf(out, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
}

static void hash_into(uint64_t h[2], const char *s, size_t n)
{
    /* eight bytes a step: the chapters may be megabytes */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h[0] = (h[0] ^ w) * 1099511628211ULL;
        h[1] = (h[1] ^ (w >> 29 | w << 35)) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
    }
    for (; i < n; i++) {
        h[0] = (h[0] ^ (unsigned char)s[i]) * 1099511628211ULL;
        h[1] = (h[1] ^ (unsigned char)s[i]) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
    }
}

/* ---- the package ---- */

static void meta_text(const nc_meta *m, nc_buf *out)
{
    if (m && m->kind == NC_META_MAP)
        m = nc_meta_get(m, "name");
    if (m)
        nc_meta_text(m, out);
}

static void dc(nc_buf *o, const char *el, const nc_meta *m, bool list)
{
    if (!m)
        return;
    if (m->kind == NC_META_LIST && list) {
        for (size_t i = 0; i < m->n; i++)
            dc(o, el, m->items[i], false);
        return;
    }
    nc_buf t = NC_BUF_INIT;
    meta_text(m, &t);
    if (t.len) {
        nc_buf_printf(o, "<dc:%s>", el);
        nc_xml_escape(o, t.ptr, t.len, false);
        nc_buf_printf(o, "</dc:%s>\n", el);
    }
    nc_buf_free(&t);
}

typedef struct navitem {
    int level;
    const char *href_file;
    const char *id; /* NULL: the chapter itself */
    const char *text;
} navitem;

/* Nested lists from a flat run of levels: <ol> for the nav, navPoints for the NCX. */
static void nav_tree(nc_buf *o, const navitem *it, size_t n, bool ncx)
{
    int stack[64];
    int top = 0;
    if (!n)
        return;
    size_t order = 0;
    for (size_t i = 0; i < n; i++) {
        int l = it[i].level;
        if (i == 0) {
            stack[0] = l;
            if (!ncx)
                nc_buf_puts(o, "<ol>\n");
        } else if (l > stack[top] && top < 63) {
            stack[++top] = l;
            if (!ncx)
                nc_buf_puts(o, "\n<ol>\n");
        } else {
            nc_buf_puts(o, ncx ? "</navPoint>\n" : "</li>\n");
            while (top > 0 && l < stack[top]) {
                if (l > stack[top - 1]) {
                    stack[top] = l;
                    break;
                }
                nc_buf_puts(o, ncx ? "</navPoint>\n" : "</ol>\n</li>\n");
                top--;
            }
        }
        order++;
        if (ncx) {
            nc_buf_printf(o, "<navPoint id=\"np-%zu\" playOrder=\"%zu\">\n<navLabel><text>",
                          order, order);
            nc_xml_escape(o, it[i].text, strlen(it[i].text), false);
            nc_buf_printf(o, "</text></navLabel>\n<content src=\"%s", it[i].href_file);
        } else {
            nc_buf_printf(o, "<li><a href=\"%s", it[i].href_file);
        }
        if (it[i].id) {
            nc_buf_putc(o, '#');
            nc_xml_escape(o, it[i].id, strlen(it[i].id), true);
        }
        if (ncx) {
            nc_buf_puts(o, "\"/>\n");
        } else {
            nc_buf_puts(o, "\">");
            nc_xml_escape(o, it[i].text, strlen(it[i].text), false);
            nc_buf_puts(o, "</a>");
        }
    }
    nc_buf_puts(o, ncx ? "</navPoint>\n" : "</li>\n");
    for (; top > 0; top--)
        nc_buf_puts(o, ncx ? "</navPoint>\n" : "</ol>\n</li>\n");
    if (!ncx)
        nc_buf_puts(o, "</ol>\n");
}

/* ---- the container ---- */

/* The buffer b added as name; b is emptied, to be filled again for the next file. */
static void zadd_buf(nc_zip *z, const char *name, nc_buf *b)
{
    nc_zip_add(z, name, b->ptr ? b->ptr : "", b->len, false);
    nc_buf_clear(b);
}

static const char xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

static void page_head(nc_buf *o, const char *lang, const char *title)
{
    nc_buf_puts(o, xml_head);
    nc_buf_puts(o, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                   "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"");
    nc_xml_escape(o, lang, strlen(lang), true);
    nc_buf_puts(o, "\" xml:lang=\"");
    nc_xml_escape(o, lang, strlen(lang), true);
    nc_buf_puts(o, "\">\n<head>\n<meta charset=\"UTF-8\" />\n<title>");
    nc_xml_escape(o, title, strlen(title), false);
    nc_buf_puts(o, "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\" />\n"
                   "</head>\n");
}

static bool is_chapter(const nc_node *n)
{
    return n->kind == NC_DIV && nc_node_has_class(n, "nc-chapter");
}

/* Blocks outside every chapter Div (a filter may add some) join the chapter before them. */
static void gather(nc_node *root)
{
    nc_node *prev = NULL;
    for (nc_node *n = root->first, *next; n; n = next) {
        next = n->next;
        if (is_chapter(n)) {
            prev = n;
            continue;
        }
        nc_node *to = prev;
        for (nc_node *k = next; !to && k; k = k->next)
            if (is_chapter(k))
                to = k;
        nc_node_unlink(n);
        if (to == prev)
            nc_node_append(to, n);
        else
            nc_node_prepend(to, n);
    }
}

static char *chapter_title(book *b, const chapter *c, size_t i, bool single)
{
    nc_buf t = NC_BUF_INIT;
    if (single)
        meta_text(nc_meta_get(nc_doc_meta(b->doc), "title"), &t);
    else if (nc_node_get_kv(c->blocks, "title"))
        nc_buf_puts(&t, nc_node_get_kv(c->blocks, "title"));
    if (!t.len && c->x.nheads)
        nc_buf_puts(&t, c->x.heads[0].text);
    if (!t.len)
        nc_buf_printf(&t, "%zu", i + 1);
    return nc_buf_detach(&t, NULL);
}

static int write_chapter(book *b, chapter *c, size_t i, bool single, const nc_template *t)
{
    nc_buf body = NC_BUF_INIT;
    b->cur_file = single ? nc_doc_path(b->doc) : nc_node_get_kv(c->blocks, "source");
    prepare(b, c->blocks);
    if (nc_xhtml_body(b->doc, c->blocks, b->opt, &c->x, &body, b->diag) != 0) {
        nc_buf_free(&body);
        return -1;
    }
    c->title = chapter_title(b, c, i, single);
    const char *lang = single ? NULL : nc_node_get_kv(c->blocks, "lang");
    c->lang = nc_xstrdup(lang ? lang : b->lang);

    nc_doc *tmp = nc_doc_new();
    nc_meta *meta = nc_doc_meta(b->doc);
    if (!single) {
        meta = nc_meta_new(tmp, NC_META_MAP);
        static const char *const keys[] = {"title", "subtitle", "date"};
        for (size_t k = 0; k < 3; k++) {
            const char *v = nc_node_get_kv(c->blocks, keys[k]);
            if (v)
                nc_meta_set(tmp, meta, keys[k], nc_meta_new_string(tmp, v, strlen(v)));
        }
    }
    nc_options o = *b->opt;
    const char *css[] = {"style.css"};
    o.css = css;
    o.ncss = 1;
    nc_xhtml_context(tmp, meta, &o, c->lang, c->title, &body);
    nc_template_render(t, nc_doc_meta(tmp), &c->page);
    nc_doc_free(tmp);
    nc_buf_free(&body);
    return 0;
}

static int stylesheet(book *b, nc_buf *css)
{
    if (!b->opt->ncss) {
        nc_buf_puts(css, nc_xhtml_css);
        return 0;
    }
    /* -c: the given stylesheets go in the book instead of ours */
    for (size_t i = 0; i < b->opt->ncss; i++) {
        char *data;
        size_t len;
        if (nc_read_file(b->opt->css[i], &data, &len, 0, b->diag) != 0)
            return -1;
        nc_buf_put(css, data, len);
        nc_buf_putc(css, '\n');
        free(data);
    }
    return 0;
}

static int render(nc_doc *doc, const nc_options *opt, nc_buf *out, nc_diag *diag)
{
    nc_options defaults;
    if (!opt) {
        nc_options_init(&defaults);
        opt = &defaults;
    }
    book b = {.doc = doc, .opt = opt, .diag = diag, .lang = nc_doc_lang(doc)};
    nc_node *root = nc_doc_root(doc);
    bool single = true;
    for (nc_node *n = root->first; n && single; n = n->next)
        single = !is_chapter(n);
    if (!single)
        gather(root);
    size_t nch = 0;
    for (nc_node *n = root->first; n && !single; n = n->next)
        nch++;
    if (single)
        nch = 1;
    chapter *ch = nc_xcalloc(nch, sizeof *ch);
    nc_template *t = nc_xhtml_template(opt, diag);
    int rc = t ? 0 : -1;
    nc_node *n = root->first;
    for (size_t i = 0; i < nch && rc == 0; i++) {
        ch[i].blocks = single ? root : n;
        n = n ? n->next : NULL;
        snprintf(ch[i].file, sizeof ch[i].file, "ch%03zu.xhtml", i + 1);
        ch[i].x.book = true;
        ch[i].x.image = raw_image;
        ch[i].x.user = &b;
        rc = write_chapter(&b, &ch[i], i, single, t);
    }
    nc_template_free(t);
    nc_buf css = NC_BUF_INIT;
    if (rc == 0)
        rc = stylesheet(&b, &css);

    const nc_meta *meta = nc_doc_meta(doc);
    const char *lang = b.lang;
    nc_buf title = NC_BUF_INIT, ident = NC_BUF_INIT;
    meta_text(nc_meta_get(meta, "title"), &title);
    if (!title.len && rc == 0)
        nc_buf_puts(&title, ch[0].title);

    /* the cover: metadata cover-image, as given or beside the first note */
    const res *cover = NULL;
    const nc_meta *cm = nc_meta_get(meta, "cover-image");
    if (cm && rc == 0) {
        nc_buf cu = NC_BUF_INIT;
        nc_meta_text(cm, &cu);
        char *path = is_file(nc_buf_cstr(&cu))
                         ? nc_xstrdup(nc_buf_cstr(&cu))
                         : nc_image_resolve(nc_buf_cstr(&cu), nc_doc_path(doc),
                                            opt->resource_path);
        const char *why = "not found";
        cover = cu.len && is_file(path) ? add_res(&b, path, &why) : NULL;
        if (!cover)
            nc_diag_report(diag, NC_DIAG_WARNING, &cm->pos, "cover image %s %s: no cover",
                           nc_buf_cstr(&cu), why);
        free(path);
        nc_buf_free(&cu);
    }

    /* a stable identifier: the metadata's, else one derived from the content (the pictures'
     * bytes are hashed as they are read into the book) */
    meta_text(nc_meta_get(meta, "identifier"), &ident);
    bool derive = !ident.len;
    uint64_t h[2] = {14695981039346656037ULL, 0x6a09e667f3bcc908ULL};
    if (derive && rc == 0) {
        hash_into(h, title.ptr ? title.ptr : "", title.len);
        for (size_t i = 0; i < nch; i++)
            hash_into(h, ch[i].page.ptr ? ch[i].page.ptr : "", ch[i].page.len);
    }

    time_t mod = rc == 0 ? modified(&b, ch, nch) : 0;
    struct tm tm;
    gmtime_r(&mod, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);

    int depth = opt->toc_depth > 0 ? opt->toc_depth : 3;
    navitem *items = NULL;
    size_t nitems = 0, capitems = 0;
    for (size_t i = 0; i < nch && rc == 0; i++) {
        for (size_t k = 0; k <= ch[i].x.nheads; k++) {
            /* an empty heading has nothing to show in a table of contents */
            if (k && (ch[i].x.heads[k - 1].level > depth || !*ch[i].x.heads[k - 1].text))
                continue;
            if (nitems == capitems) {
                capitems = capitems ? 2 * capitems : 64;
                items = nc_xrealloc(items, capitems * sizeof *items);
            }
            navitem *it = &items[nitems++];
            it->href_file = ch[i].file;
            it->level = k ? ch[i].x.heads[k - 1].level : 0;
            it->id = k ? ch[i].x.heads[k - 1].id : NULL;
            it->text = k ? ch[i].x.heads[k - 1].text : ch[i].title;
        }
    }

    if (rc == 0) {
        /* the archive is written straight into out, sized once for all that goes in */
        size_t want = 1 << 16;
        for (size_t i = 0; i < b.nres; i++)
            want += b.res[i].len;
        for (size_t i = 0; i < nch; i++)
            want += ch[i].page.len;
        nc_buf_reserve(out, want);
        nc_zip z;
        nc_zip_begin(&z, out, mod);
        static const char mimetype[] = "application/epub+zip";
        nc_zip_add(&z, "mimetype", mimetype, sizeof mimetype - 1, true);
        /* the pictures next, read straight into the book (they are most of its bytes, and
         * compressed already: stored, not deflated again) */
        for (size_t i = 0; i < b.nres && rc == 0; i++) {
            char name[64];
            snprintf(name, sizeof name, "EPUB/%s", b.res[i].name);
            char *dst = nc_zip_reserve(&z, name, b.res[i].len);
            if (!dst)
                break;
            if (read_exact(b.res[i].path, dst, b.res[i].len) != 0) {
                nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                               "%s: cannot be read, or changed while the book was written",
                               b.res[i].path);
                rc = -1;
                break;
            }
            uint32_t crc = nc_zip_commit(&z);
            /* a picture counts by its checksum and size: hashing megabytes again would cost
               more than the rest of the book */
            if (derive) {
                unsigned char sum[12];
                for (int k = 0; k < 4; k++)
                    sum[k] = (unsigned char)(crc >> (8 * k));
                for (int k = 0; k < 8; k++)
                    sum[4 + k] = (unsigned char)((uint64_t)b.res[i].len >> (8 * k));
                hash_into(h, (const char *)sum, sizeof sum);
            }
        }
        if (derive)
            uuid_urn(h, &ident);
        nc_buf f = NC_BUF_INIT;
        nc_buf_puts(&f, xml_head);
        nc_buf_puts(&f, "<container version=\"1.0\" "
                        "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
                        "<rootfiles>\n<rootfile full-path=\"EPUB/content.opf\" "
                        "media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n"
                        "</container>\n");
        zadd_buf(&z, "META-INF/container.xml", &f);

        /* the package document */
        nc_buf_puts(&f, xml_head);
        nc_buf_puts(&f, "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                        "unique-identifier=\"bookid\" xml:lang=\"");
        nc_xml_escape(&f, lang, strlen(lang), true);
        nc_buf_puts(&f, "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
                        "<dc:identifier id=\"bookid\">");
        nc_xml_escape(&f, ident.ptr, ident.len, false);
        nc_buf_puts(&f, "</dc:identifier>\n<dc:title>");
        nc_xml_escape(&f, title.ptr, title.len, false);
        nc_buf_puts(&f, "</dc:title>\n<dc:language>");
        nc_xml_escape(&f, lang, strlen(lang), false);
        nc_buf_puts(&f, "</dc:language>\n");
        dc(&f, "creator", nc_meta_get(meta, "author"), true);
        dc(&f, "publisher", nc_meta_get(meta, "publisher"), false);
        dc(&f, "rights", nc_meta_get(meta, "rights"), false);
        dc(&f, "description", nc_meta_get(meta, "description"), false);
        dc(&f, "subject", nc_meta_get(meta, "tags"), true);
        const nc_meta *dm = nc_meta_get(meta, "date");
        if (dm) {
            nc_buf dt = NC_BUF_INIT;
            nc_meta_text(dm, &dt);
            if (parse_date(nc_buf_cstr(&dt), &tm))
                nc_buf_printf(&f, "<dc:date>%04d-%02d-%02d</dc:date>\n", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday);
            nc_buf_free(&dt);
        }
        nc_buf_printf(&f, "<meta property=\"dcterms:modified\">%s</meta>\n", stamp);
        if (cover)
            nc_buf_puts(&f, "<meta name=\"cover\" content=\"cover-image\"/>\n");
        nc_buf_puts(&f, "</metadata>\n<manifest>\n"
                        "<item id=\"nav\" href=\"nav.xhtml\" "
                        "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
                        "<item id=\"ncx\" href=\"toc.ncx\" "
                        "media-type=\"application/x-dtbncx+xml\"/>\n"
                        "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n");
        if (cover)
            nc_buf_puts(&f, "<item id=\"cover\" href=\"cover.xhtml\" "
                            "media-type=\"application/xhtml+xml\"/>\n");
        for (size_t i = 0; i < nch; i++)
            nc_buf_printf(&f, "<item id=\"c%zu\" href=\"%s\" "
                              "media-type=\"application/xhtml+xml\"/>\n",
                          i + 1, ch[i].file);
        for (size_t i = 0; i < b.nres; i++) {
            if (&b.res[i] == cover)
                nc_buf_puts(&f, "<item id=\"cover-image\"");
            else
                nc_buf_printf(&f, "<item id=\"img%zu\"", i + 1);
            nc_buf_printf(&f, " href=\"%s\" media-type=\"%s\"%s/>\n", b.res[i].name,
                          b.res[i].mime,
                          &b.res[i] == cover ? " properties=\"cover-image\"" : "");
        }
        nc_buf_puts(&f, "</manifest>\n<spine toc=\"ncx\">\n");
        if (cover)
            nc_buf_puts(&f, "<itemref idref=\"cover\"/>\n");
        nc_buf_puts(&f, "<itemref idref=\"nav\"/>\n");
        for (size_t i = 0; i < nch; i++)
            nc_buf_printf(&f, "<itemref idref=\"c%zu\"/>\n", i + 1);
        nc_buf_puts(&f, "</spine>\n</package>\n");
        zadd_buf(&z, "EPUB/content.opf", &f);

        /* the navigation document */
        page_head(&f, lang, title.ptr ? title.ptr : "");
        nc_buf_puts(&f, "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1>");
        nc_xml_escape(&f, title.ptr, title.len, false);
        nc_buf_puts(&f, "</h1>\n");
        nav_tree(&f, items, nitems, false);
        nc_buf_puts(&f, "</nav>\n</body>\n</html>\n");
        zadd_buf(&z, "EPUB/nav.xhtml", &f);

        /* the NCX, for reading systems of EPUB 2 */
        int maxd = 1;
        for (size_t i = 0; i < nitems; i++)
            if (items[i].level > 0 && maxd < 2)
                maxd = 2;
        nc_buf_puts(&f, xml_head);
        nc_buf_puts(&f, "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
                        "version=\"2005-1\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
        nc_xml_escape(&f, ident.ptr, ident.len, true);
        nc_buf_printf(&f, "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
                          "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                          "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
                          "<docTitle><text>",
                      maxd);
        nc_xml_escape(&f, title.ptr, title.len, false);
        nc_buf_puts(&f, "</text></docTitle>\n<navMap>\n");
        nav_tree(&f, items, nitems, true);
        nc_buf_puts(&f, "</navMap>\n</ncx>\n");
        zadd_buf(&z, "EPUB/toc.ncx", &f);

        zadd_buf(&z, "EPUB/style.css", &css);
        if (cover) {
            page_head(&f, lang, title.ptr ? title.ptr : "");
            nc_buf_printf(&f, "<body>\n<div class=\"cover\"><img src=\"%s\" alt=\"",
                          cover->name);
            nc_xml_escape(&f, title.ptr, title.len, true);
            nc_buf_puts(&f, "\" /></div>\n</body>\n</html>\n");
            zadd_buf(&z, "EPUB/cover.xhtml", &f);
        }
        for (size_t i = 0; i < nch; i++) {
            char name[48];
            snprintf(name, sizeof name, "EPUB/%s", ch[i].file);
            zadd_buf(&z, name, &ch[i].page);
        }
        nc_buf_free(&f);
        if (nc_zip_finish(&z) != 0) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL, "%s", z.why);
            rc = -1;
        }
    }

    free(items);
    nc_buf_free(&css);
    nc_buf_free(&title);
    nc_buf_free(&ident);
    for (size_t i = 0; i < nch; i++) {
        free(ch[i].title);
        free(ch[i].lang);
        nc_buf_free(&ch[i].page);
        nc_xhtml_free(&ch[i].x);
    }
    free(ch);
    for (size_t i = 0; i < b.nres; i++) {
        free(b.res[i].path);
        free(b.res[i].name);
    }
    free(b.res);
    if (rc == 0) {
        nc_buf_grow(out, 0);
        out->ptr[out->len] = '\0';
    }
    return rc;
}

const nc_writer nc_writer_epub = {
    "epub", ".epub", "EPUB 3 book: one chapter per input note, with its images", true, render,
};
