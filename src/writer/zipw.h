/* zipw.h — a small ZIP writer for the EPUB container: appends to an nc_buf, deflates through
 * libdeflate. Writes no ZIP64, no encryption, no extra fields; it never reads archives. */
#ifndef NC_ZIPW_H
#define NC_ZIPW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "internal.h"

typedef struct nc_zip {
    nc_buf *out;       /* the archive so far; the local entries go here as they are added */
    nc_buf dir;        /* the central directory, appended to out by nc_zip_finish */
    struct libdeflate_compressor *z;
    uint16_t dos_time, dos_date;
    size_t n;
    const char *pending; /* the name given to nc_zip_reserve, until nc_zip_commit */
    size_t pending_len;
    const char *why;   /* why the archive cannot be finished; NULL while all is well */
} nc_zip;

/* Starts an archive in out whose entries all carry the time mtime (UTC, so the bytes do not
 * depend on TZ). */
void nc_zip_begin(nc_zip *z, nc_buf *out, time_t mtime);
/* Adds one file; store keeps it as it is (the EPUB mimetype, pictures), else it is deflated
 * unless that does not make it smaller. */
void nc_zip_add(nc_zip *z, const char *name, const void *data, size_t len, bool store);
/* Room in out for a file of len bytes to be stored as it is, for the caller to fill (say, read
 * a picture straight into) before nc_zip_commit, with no other call between; name must live
 * until then. NULL with why in z->why. */
char *nc_zip_reserve(nc_zip *z, const char *name, size_t len);
/* Adds the reserved file; its CRC-32. */
uint32_t nc_zip_commit(nc_zip *z);
/* Writes the central directory and frees what z holds; 0, or -1 with why in z->why. */
int nc_zip_finish(nc_zip *z);

#endif
