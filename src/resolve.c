/* resolve.c — where an image URL of a note points on disk: the one rule that the PDF writer and
 * the resources filter share. It only looks at the file system (stat); it never reads a file,
 * uses the network, prints or keeps state. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "internal.h"

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool nc_image_is_remote(const char *url)
{
    if (!url)
        return false;
    if (url[0] == '/' && url[1] == '/')
        return true;
    size_t i = 0;
    if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
        return false;
    while (url[i] && (url[i] == '+' || url[i] == '-' || url[i] == '.' ||
                      (url[i] >= '0' && url[i] <= '9') || (url[i] >= 'a' && url[i] <= 'z') ||
                      (url[i] >= 'A' && url[i] <= 'Z')))
        i++;
    /* one letter before ':' is a Windows drive (C:\...), not a scheme */
    if (url[i] != ':' || i < 2)
        return false;
    return !(i == 4 && strncasecmp(url, "file", 4) == 0);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* dir + "/" + rel, without a "./" prefix for the current folder. */
static char *join(const char *dir, size_t dlen, const char *rel)
{
    while (*rel == '/')
        rel++;
    nc_buf b = NC_BUF_INIT;
    if (dlen > 0 && !(dlen == 1 && dir[0] == '.')) {
        nc_buf_put(&b, dir, dlen);
        if (dir[dlen - 1] != '/')
            nc_buf_putc(&b, '/');
    }
    nc_buf_puts(&b, rel);
    return nc_buf_detach(&b, NULL);
}

/* Removes "." and "name/.." lexically, in place: the page folder of a Hugo note is not a
 * folder on disk, so the kernel cannot walk through it. A ".." with nothing left to remove
 * is kept. */
static void lexical(char *path)
{
    size_t len = strlen(path);
    char *src = nc_xstrndup(path, len);
    char *out = path;
    size_t keep = 0; /* leading ".." components written, which cannot be removed */
    if (*src == '/')
        *out++ = '/';
    char *start = out;
    for (char *p = src; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* nothing to write */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && out - start > (ptrdiff_t)(3 * keep)) {
            /* drop the last component written, with its slash */
            out--;
            while (out > start && out[-1] != '/')
                out--;
        } else {
            if (n == 2 && p[0] == '.' && p[1] == '.')
                keep++;
            memcpy(out, p, n);
            out += n;
            *out++ = '/';
        }
        p += n;
        if (*p == '/')
            p++;
    }
    if (out > start && out[-1] == '/')
        out--;
    *out = '\0';
    free(src);
}

/* cand if it names a file, else NULL (cand freed). */
static char *existing(char *cand)
{
    if (is_file(cand))
        return cand;
    free(cand);
    return NULL;
}

char *nc_image_resolve(const char *url, const char *note_path, const char *resource_path)
{
    if (!url)
        return NULL;
    if (strncasecmp(url, "file://", 7) == 0) {
        url += 7;
        if (strncasecmp(url, "localhost/", 10) == 0)
            url += 9;
    } else if (strncasecmp(url, "file:", 5) == 0) {
        url += 5;
    }
    size_t n = strcspn(url, "?#");
    nc_buf b = NC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        /* %00 would cut the path short: keep it as written */
        if (url[i] == '%' && i + 2 < n && (hi = hexval(url[i + 1])) >= 0 &&
            (lo = hexval(url[i + 2])) >= 0 && (hi | lo) != 0) {
            nc_buf_putc(&b, hi << 4 | lo);
            i += 2;
        } else {
            nc_buf_putc(&b, url[i]);
        }
    }
    if (b.len == 0) {
        nc_buf_free(&b);
        return NULL;
    }
    const char *rel = nc_buf_cstr(&b);
    const char *dir = ".";
    size_t dlen = 1;
    if (note_path && strcmp(note_path, "-") != 0) {
        const char *slash = strrchr(note_path, '/');
        if (slash) {
            dir = note_path;
            dlen = slash == note_path ? 1 : (size_t)(slash - note_path);
        }
    }
    /* the first candidate is the answer when none is a file, so the warning names it */
    char *first = rel[0] == '/' ? nc_xstrdup(rel) : join(dir, dlen, rel);
    char *hit = is_file(first) ? first : NULL;
    if (!hit && rel[0] == '/')
        hit = existing(join(dir, dlen, rel));
    /* Hugo serves a note at a page of its own name (posts/x.md at posts/x/), so the notes
     * link their pictures relative to that page: "../pic.png" beside x.md */
    if (!hit && rel[0] != '/' && note_path && strcmp(note_path, "-") != 0) {
        const char *base = strrchr(note_path, '/');
        base = base ? base + 1 : note_path;
        const char *dot = strrchr(base, '.');
        nc_buf page = NC_BUF_INIT;
        nc_buf_put(&page, dir, dlen);
        nc_buf_putc(&page, '/');
        nc_buf_put(&page, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
        char *cand = join(page.ptr, page.len, rel);
        lexical(cand);
        hit = existing(cand);
        nc_buf_free(&page);
    }
    for (const char *p = resource_path; !hit && p && *p;) {
        size_t len = strcspn(p, ":");
        hit = existing(len ? join(p, len, rel) : join(".", 1, rel));
        p += len;
        if (*p == ':')
            p++;
    }
    nc_buf_free(&b);
    if (hit && hit != first)
        free(first);
    return hit ? hit : first;
}

void nc_path_relative(const char *dir, const char *file, nc_buf *out)
{
    if (strcmp(dir, "/") == 0) {
        nc_buf_puts(out, file + 1);
        return;
    }
    /* the longest common run of whole components */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        if (dir[i] == '\0' && file[i] == '/') {
            common = i;
            break;
        }
        if (dir[i] != file[i])
            break;
        if (dir[i] == '/')
            common = i;
    }
    for (const char *p = dir + common; *p; p++)
        if (*p == '/')
            nc_buf_puts(out, "../");
    nc_buf_puts(out, file + common + 1);
}

void nc_url_encode_path(const char *s, nc_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f || strchr("%?#\"<>\\^`{|}", *p)) {
            nc_buf_putc(out, '%');
            nc_buf_putc(out, hex[*p >> 4]);
            nc_buf_putc(out, hex[*p & 15]);
        } else {
            nc_buf_putc(out, *p);
        }
    }
}
