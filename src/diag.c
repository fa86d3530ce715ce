/* diag.c — diagnostics collected in a context object; the library never prints them,
 * the caller (the CLI) decides what to show through the callback. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct nc_diag {
    nc_diag_entry *items;
    size_t n, cap;
    size_t counts[3];
    nc_diag_fn fn;
    void *user;
};

nc_diag *nc_diag_new(void)
{
    return nc_xcalloc(1, sizeof(nc_diag));
}

void nc_diag_free(nc_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free((char *)d->items[i].file);
        free((char *)d->items[i].message);
    }
    free(d->items);
    free(d);
}

void nc_diag_set_callback(nc_diag *d, nc_diag_fn fn, void *user)
{
    d->fn = fn;
    d->user = user;
}

void nc_diag_vreport(nc_diag *d, int level, const nc_pos *pos, const char *fmt, va_list ap)
{
    if (!d)
        return;
    nc_buf msg = NC_BUF_INIT;
    nc_buf_vprintf(&msg, fmt, ap);
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = nc_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    nc_diag_entry *e = &d->items[d->n++];
    e->level = (nc_diag_level)(level & 0xff);
    if (e->level > NC_DIAG_NOTE)
        e->level = NC_DIAG_NOTE;
    e->verbose = (level & NC_DIAG_VERBOSE) != 0;
    e->file = pos && pos->file ? nc_xstrdup(pos->file) : NULL;
    e->line = pos ? pos->line : 0;
    e->col = pos ? pos->col : 0;
    e->message = nc_buf_detach(&msg, NULL);
    d->counts[e->level]++;
    if (d->fn)
        d->fn(e, d->user);
}

void nc_diag_report(nc_diag *d, int level, const nc_pos *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nc_diag_vreport(d, level, pos, fmt, ap);
    va_end(ap);
}

size_t nc_diag_count(const nc_diag *d, nc_diag_level level)
{
    return d && level <= NC_DIAG_NOTE ? d->counts[level] : 0;
}

size_t nc_diag_size(const nc_diag *d)
{
    return d ? d->n : 0;
}

const nc_diag_entry *nc_diag_get(const nc_diag *d, size_t i)
{
    return d && i < d->n ? &d->items[i] : NULL;
}

void nc_diag_format(const nc_diag_entry *e, nc_buf *out)
{
    static const char *names[] = {"error", "warning", "note"};
    if (e->file) {
        nc_buf_puts(out, e->file);
        if (e->line) {
            nc_buf_printf(out, ":%u", (unsigned)e->line);
            if (e->col)
                nc_buf_printf(out, ":%u", (unsigned)e->col);
        }
        nc_buf_puts(out, ": ");
    }
    nc_buf_printf(out, "%s: %s", names[e->level], e->message);
}
