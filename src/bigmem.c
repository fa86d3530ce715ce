/* bigmem.c — big, short-lived regions (a reader's value table, a document's node arena) on
 * transparent huge pages where the system offers them. Never reports; callers fall back to
 * malloc when it gives nothing. */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

/* A 4 KB page fault costs microseconds (much more in some VMs): megabytes of freshly touched
 * memory cost more than filling it. One 2 MB huge page is one fault. Only regions of at least
 * a huge page are worth it. */
#define HUGE_PAGE NC_HUGE_PAGE

static size_t rounded(size_t size)
{
    return (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void *nc_big_map(size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (size < HUGE_PAGE || size > SIZE_MAX / 4)
        return NULL;
    size_t len = rounded(size);
    /* mapped with a huge page's slack so that the region can start on a huge page */
    char *raw = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    char *p = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    if (raw + len + HUGE_PAGE > p + len)
        munmap(p + len, (size_t)(raw + len + HUGE_PAGE - (p + len)));
    /* advice only: without huge pages the region still works, in 4 KB pages */
    (void)madvise(p, len, MADV_HUGEPAGE);
    return p;
#else
    (void)size;
    return NULL;
#endif
}

/* Advice for memory that malloc gave: the huge pages wholly inside [p, p + size). */
void nc_big_advise(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

/* size bytes that free() takes: for NC_BIG_BUF and more, starting on a huge page, advised. */
void *nc_big_alloc(size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (size >= NC_BIG_BUF && size <= SIZE_MAX / 4) {
        size_t cap = rounded(size);
        void *p;
        if (posix_memalign(&p, HUGE_PAGE, cap) == 0) {
            nc_big_advise(p, cap);
            return p;
        }
    }
#endif
    return nc_xmalloc(size);
}

void *nc_big_realloc(void *p, size_t used, size_t size)
{
    if (size < NC_BIG_BUF)
        return nc_xrealloc(p, size);
    void *q = nc_big_alloc(size);
    if (used)
        memcpy(q, p, used);
    free(p);
    return q;
}

void nc_big_unmap(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    if (p)
        munmap(p, rounded(size));
#else
    (void)p;
    (void)size;
#endif
}
