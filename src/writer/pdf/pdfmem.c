/* pdfmem.c — libharu's memory while one PDF is written: size classes carved from regions that
 * double in size, from 2 MB on on huge pages (src/bigmem.c), instead of malloc's 4 KB pages.
 *
 * libharu makes an object of several small mallocs for every dictionary, name, number and
 * array item of the PDF: a note with 100,000 footnotes has 300,000 link annotations and
 * destinations, 60 % of its heap, about a gigabyte. From the heap's 4 KB pages that was 240,000
 * page faults and a TLB miss on most object accesses; on huge pages the same document is
 * written in little more than half the time.
 *
 * Blocks of up to MAX_SMALL bytes come from per-size free lists, each block with an 8-byte
 * header holding its class; what is freed goes back on its list, linked through the header
 * (libharu frees list arrays as they grow). Bigger blocks are malloc's. Everything left goes
 * when the document is done. Under AddressSanitizer the unused room and freed blocks are
 * poisoned, so a use after free or past a block's end is still caught.
 * libharu's callbacks have no context argument, so the state is per thread: one thread writes
 * one PDF at a time (the batch's threads each their own). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "writer/pdf/pdfmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define PM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PM_ASAN 1
#endif
#endif
#ifdef PM_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define GRAIN 16u
#define HDR 8u
#define MAX_SMALL (4096u + GRAIN) /* a block and its header: libharu's 4 KB stream buffers fit */
#define NCLASS (MAX_SMALL / GRAIN + 1)
#define LARGE UINT64_MAX    /* the header of a malloc'd block */
/* A small PDF's objects go in malloc's 64 KB blocks (under its mmap threshold: memory the heap
 * already has, reused from one note to the next in a batch). Past SMALL_TOTAL of them the
 * regions are on huge pages, doubling (a fresh huge page is cleared whole, which would cost a
 * small note more than it saves). */
#define SMALL_REGION ((size_t)64 * 1024)
#define SMALL_TOTAL NC_HUGE_PAGE
#define MAX_REGION ((size_t)64 * 1024 * 1024)

typedef struct region {
    struct region *prev;
    size_t size;
    bool mapped; /* nc_big_map's, else malloc's */
} region;

typedef struct pool {
    region *regions;
    char *next, *end;      /* the unused rest of the newest region */
    void *free[NCLASS];    /* per class: freed blocks, linked through their headers */
    size_t region_size;    /* of the next region */
    size_t total;    /* bytes of regions so far */
    unsigned depth;        /* nested begin/end pairs */
} pool;

static _Thread_local pool P;

/* Only while a pool is open on this thread: a libharu document made outside one gets malloc. */
static bool open_here(void)
{
    return P.depth > 0;
}

static bool grow(size_t need)
{
    size_t size = P.region_size ? P.region_size : SMALL_REGION;
    while (size < need + sizeof(region) + GRAIN)
        size *= 2;
    region *r = size >= NC_HUGE_PAGE ? nc_big_map(size) : NULL;
    bool mapped = r != NULL;
    if (!r) {
        r = malloc(size);
        if (!r)
            return false;
    }
    r->prev = P.regions;
    r->size = size;
    r->mapped = mapped;
    P.regions = r;
    /* the first block starts 8 bytes before a 16-byte boundary, so that what is handed out
     * (after the header) is 16-byte aligned as malloc's is */
    uintptr_t start = ((uintptr_t)(r + 1) + HDR + GRAIN - 1) / GRAIN * GRAIN - HDR;
    P.next = (char *)start;
    P.end = (char *)r + size;
    POISON(P.next, (size_t)(P.end - P.next));
    P.total += size;
    if (P.total < SMALL_TOTAL)
        P.region_size = SMALL_REGION;
    else if (size < NC_HUGE_PAGE)
        P.region_size = NC_HUGE_PAGE;
    else
        P.region_size = size * 2 < MAX_REGION ? size * 2 : MAX_REGION;
    return true;
}

void *nc_pdfmem_alloc(unsigned size)
{
    if (!open_here() || size > MAX_SMALL - HDR) {
        /* 16 bytes before the block keep it 16-byte aligned; the header is their last 8 */
        char *p = malloc((size_t)size + GRAIN);
        if (!p)
            return NULL;
        *(uint64_t *)(p + GRAIN - HDR) = LARGE;
        return p + GRAIN;
    }
    size_t total = ((size_t)size + HDR + GRAIN - 1) / GRAIN * GRAIN;
    size_t cls = total / GRAIN;
    char *b = P.free[cls];
    if (b) {
        P.free[cls] = *(void **)b; /* a free block's header links the list */
    } else {
        if ((size_t)(P.end - P.next) < total && !grow(total))
            return NULL;
        b = P.next;
        P.next += total;
        UNPOISON(b, HDR);
    }
    *(uint64_t *)b = cls;
    UNPOISON(b + HDR, size);
    return b + HDR;
}

void nc_pdfmem_free(void *p)
{
    if (!p)
        return;
    char *b = (char *)p - HDR;
    uint64_t cls = *(uint64_t *)b;
    if (cls == LARGE) {
        free((char *)p - GRAIN);
        return;
    }
    /* a small block outlives no pool: the document is freed before nc_pdfmem_end */
    POISON(p, cls * GRAIN - HDR);
    *(void **)b = P.free[cls];
    P.free[cls] = b;
}

void nc_pdfmem_begin(void)
{
    P.depth++;
}

void nc_pdfmem_end(void)
{
    if (!P.depth || --P.depth)
        return;
    while (P.regions) {
        region *r = P.regions;
        P.regions = r->prev;
        UNPOISON(r, r->size);
        if (r->mapped)
            nc_big_unmap(r, r->size);
        else
            free(r);
    }
    memset(&P, 0, sizeof P);
}
