/* buf.c — the growable byte buffer and the allocation wrappers.
 * Out of memory is the only place the library writes to stderr and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Noreturn void nc_oom(void)
{
    fputs("noteconv: fatal: out of memory\n", stderr);
    exit(70);
}

void *nc_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        nc_oom();
    return p;
}

void *nc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        nc_oom();
    return p;
}

void *nc_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        nc_oom();
    return q;
}

char *nc_xstrndup(const char *s, size_t n)
{
    char *p = nc_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nc_xstrdup(const char *s)
{
    return nc_xstrndup(s, strlen(s));
}

void nc_buf_init(nc_buf *b)
{
    b->ptr = NULL;
    b->len = b->cap = 0;
}

void nc_buf_free(nc_buf *b)
{
    free(b->ptr);
    nc_buf_init(b);
}

void nc_buf_grow(nc_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX / 2 - b->len)
        nc_oom();
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    /* doubling: a writer's output grows to megabytes, and each move copies it all */
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap < SIZE_MAX / 2 ? cap * 2 : need;
    /* a big buffer moves onto huge pages (a 200 MB output copied into 4 KB pages by realloc
       was 50,000 faults, more time than writing it) */
    if (cap >= NC_BIG_BUF && cap <= SIZE_MAX / 4)
        cap = (cap + NC_HUGE_PAGE - 1) & ~(NC_HUGE_PAGE - 1);
    b->ptr = nc_big_realloc(b->ptr, b->len, cap);
    b->cap = cap;
}

void nc_buf_reserve(nc_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX / 2 - b->len)
        nc_oom();
    size_t need = b->len + extra + 1;
    /* part of a huge page would be cleared whole: only room that fills most of one is worth it */
    if (need <= b->cap || need < NC_HUGE_PAGE / 4) {
        nc_buf_grow(b, extra);
        return;
    }
    size_t cap = (need + NC_HUGE_PAGE - 1) & ~(NC_HUGE_PAGE - 1);
    void *p;
    /* aligned so that the data starts on a huge page; free() and realloc() take it as any.
       Room that cannot be had at once (a system that does not overcommit) is no error: the
       buffer then grows as it is written. */
    if (posix_memalign(&p, NC_HUGE_PAGE, cap) != 0)
        return;
    nc_big_advise(p, cap);
    if (b->len)
        memcpy(p, b->ptr, b->len);
    free(b->ptr);
    b->ptr = p;
    b->cap = cap;
    b->ptr[b->len] = '\0';
}

void nc_buf_put(nc_buf *b, const void *data, size_t len)
{
    nc_buf_grow(b, len);
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void nc_buf_puts(nc_buf *b, const char *s)
{
    nc_buf_put(b, s, strlen(s));
}

void nc_buf_putc(nc_buf *b, int c)
{
    nc_buf_grow(b, 1);
    b->ptr[b->len++] = (char)c;
    b->ptr[b->len] = '\0';
}

void nc_buf_vprintf(nc_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    nc_buf_grow(b, 64);
    int n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        nc_buf_grow(b, (size_t)n);
        vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void nc_buf_printf(nc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void nc_buf_clear(nc_buf *b)
{
    nc_buf_truncate(b, 0);
}

void nc_buf_truncate(nc_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

const char *nc_buf_cstr(const nc_buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *nc_buf_detach(nc_buf *b, size_t *len)
{
    if (!b->ptr)
        nc_buf_put(b, "", 0);
    char *p = b->ptr;
    if (len)
        *len = b->len;
    nc_buf_init(b);
    return p;
}
