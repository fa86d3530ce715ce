/* chain.c — the filter chain: default filters, then the user's entries in command-line
 * order. Entries are kinds of chain step; built-in filters are the first kind. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "extfilter.h"
#include "noteconv/filter.h"

typedef struct entry {
    const nc_filter *filter;
    char *args; /* NULL when none */
    char *program; /* an external pandoc-JSON filter (then filter is NULL) */
    nc_plugin *plugin; /* a shared object's filter (then filter is NULL) */
} entry;

struct nc_chain {
    entry *items;
    size_t n, cap;
    const nc_filter **disabled;
    size_t ndisabled;
    double timeout; /* seconds an external filter may run; 0: no limit */
};

nc_chain *nc_chain_new(void)
{
    nc_chain *c = nc_xcalloc(1, sizeof(nc_chain));
    c->timeout = NC_DEFAULT_FILTER_TIMEOUT;
    return c;
}

void nc_chain_free(nc_chain *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].args);
        free(c->items[i].program);
        nc_plugin_close(c->items[i].plugin);
    }
    free(c->items);
    free(c->disabled);
    free(c);
}

static void unknown(const char *name, size_t len, nc_diag *diag)
{
    nc_buf valid = NC_BUF_INIT;
    for (size_t i = 0; i < nc_filter_count(); i++) {
        if (i)
            nc_buf_puts(&valid, ", ");
        nc_buf_puts(&valid, nc_filter_at(i)->name);
    }
    nc_diag_report(diag, NC_DIAG_ERROR, NULL, "unknown filter '%.*s' (valid filters: %s)",
                   (int)len, name, nc_buf_cstr(&valid));
    nc_buf_free(&valid);
}

static const nc_filter *lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < nc_filter_count(); i++) {
        const nc_filter *f = nc_filter_at(i);
        if (strlen(f->name) == len && strncmp(f->name, name, len) == 0)
            return f;
    }
    return NULL;
}

int nc_chain_add(nc_chain *c, const char *spec, nc_diag *diag)
{
    nc_plugin *plugin = NULL;
    char *pargs = NULL;
    if (nc_filter_spec_is_plugin(spec) && nc_plugin_open(spec, &plugin, &pargs, diag) != 0)
        return -1;
    /* NAME, NAME=ARGS or NAME:key=val */
    size_t len = strcspn(spec, "=:");
    const nc_filter *f = plugin ? NULL : lookup(spec, len);
    if (!f && !plugin) {
        unknown(spec, len, diag);
        return -1;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->items = nc_xrealloc(c->items, c->cap * sizeof *c->items);
    }
    c->items[c->n].filter = f;
    c->items[c->n].args = plugin ? pargs : spec[len] ? nc_xstrdup(spec + len + 1) : NULL;
    c->items[c->n].program = NULL;
    c->items[c->n].plugin = plugin;
    c->n++;
    return 0;
}

int nc_chain_add_program(nc_chain *c, const char *prog, nc_diag *diag)
{
    if (!*prog) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "--filter wants a program, not ''");
        return -1;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->items = nc_xrealloc(c->items, c->cap * sizeof *c->items);
    }
    c->items[c->n].filter = NULL;
    c->items[c->n].args = NULL;
    c->items[c->n].program = nc_xstrdup(prog);
    c->items[c->n].plugin = NULL;
    c->n++;
    return 0;
}

void nc_chain_set_timeout(nc_chain *c, double seconds)
{
    c->timeout = seconds > 0 ? seconds : 0;
}

int nc_chain_disable(nc_chain *c, const char *name, nc_diag *diag)
{
    const nc_filter *f = lookup(name, strlen(name));
    if (!f) {
        unknown(name, strlen(name), diag);
        return -1;
    }
    c->disabled = nc_xrealloc(c->disabled, (c->ndisabled + 1) * sizeof *c->disabled);
    c->disabled[c->ndisabled++] = f;
    return 0;
}

static bool named(const nc_chain *c, const nc_filter *f)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (c->items[i].filter == f)
            return true;
    for (size_t i = 0; c && i < c->ndisabled; i++)
        if (c->disabled[i] == f)
            return true;
    return false;
}

/* The front matter's filters: [spec, ...] (or one spec), as a chain of its own. */
static int meta_chain(nc_doc *doc, nc_chain **out, nc_diag *diag)
{
    nc_meta *m = nc_meta_get(nc_doc_meta(doc), "filters");
    *out = NULL;
    if (!m)
        return 0;
    size_t n = m->kind == NC_META_LIST ? m->n : 1;
    nc_chain *c = nc_chain_new();
    *out = c;
    for (size_t i = 0; i < n; i++) {
        nc_meta *item = m->kind == NC_META_LIST ? m->items[i] : m;
        if (item->kind != NC_META_STRING || !item->len) {
            nc_diag_report(diag, NC_DIAG_ERROR, &item->pos,
                           "filters: each entry is a filter as -F takes it (NAME, NAME=ARGS "
                           "or NAME:key=val)");
            return -1;
        }
        if (!lookup(item->str, strcspn(item->str, "=:"))) {
            nc_diag_report(diag, NC_DIAG_ERROR, &item->pos,
                           "filters: unknown filter '%.*s' (noteconv --list-filters lists them)",
                           (int)strcspn(item->str, "=:"), item->str);
            return -1;
        }
        nc_chain_add(c, item->str, diag);
    }
    return 0;
}

static bool disabled(const nc_chain *c, const nc_filter *f)
{
    for (size_t i = 0; c && i < c->ndisabled; i++)
        if (c->disabled[i] == f)
            return true;
    return false;
}

/* --toc or metadata toc: true ask for the toc filter when the chain has not named it. */
static bool wants_toc(const nc_doc *doc, const nc_options *opt)
{
    nc_meta *m = nc_meta_get(nc_doc_meta(doc), "toc");
    return (opt && opt->toc) ||
           (m && nc_meta_truthy(m) && !(m->kind == NC_META_STRING && strcmp(m->str, "false") == 0));
}

int nc_chain_run(const nc_chain *c, nc_doc *doc, const nc_options *opt, nc_diag *diag)
{
    nc_chain *meta;
    int rc = -1;
    if (meta_chain(doc, &meta, diag) != 0)
        goto done;
    for (size_t i = 0; i < nc_filter_count(); i++) {
        const nc_filter *f = nc_filter_at(i);
        if (f->default_on && !named(c, f) && !named(meta, f) && f->run(doc, NULL, opt, diag) != 0)
            goto done;
    }
    /* the front matter's filters run before the command line's, unless it disables them */
    for (size_t i = 0; meta && i < meta->n; i++)
        if (!disabled(c, meta->items[i].filter) &&
            meta->items[i].filter->run(doc, meta->items[i].args, opt, diag) != 0)
            goto done;
    for (size_t i = 0; c && i < c->n; i++) {
        const entry *e = &c->items[i];
        if (e->program ? nc_extfilter_run(doc, e->program, c->timeout, opt, diag) != 0
            : e->plugin ? nc_plugin_run(e->plugin, doc, e->args, opt, diag) != 0
                        : e->filter->run(doc, e->args, opt, diag) != 0)
            goto done;
    }
    if (wants_toc(doc, opt) && !named(c, &nc_filter_toc) && !named(meta, &nc_filter_toc) &&
        nc_filter_toc.run(doc, NULL, opt, diag) != 0)
        goto done;
    rc = 0;
done:
    nc_chain_free(meta);
    return rc;
}
