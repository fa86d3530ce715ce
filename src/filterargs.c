/* filterargs.c — what built-in filters share: reading their arguments, "a,b" (by position) or
 * "key=val,key2=val2" (by name), checked against the names a filter knows, and the walk over
 * section headings. It parses and reports; what a value means is the filter's business. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void list_keys(const char *const *keys, nc_buf *out)
{
    for (size_t i = 0; keys[i]; i++) {
        if (i)
            nc_buf_puts(out, ", ");
        nc_buf_puts(out, keys[i]);
    }
    if (!keys[0])
        nc_buf_puts(out, "none");
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int nc_fargs_parse(nc_fargs *a, const char *filter, const char *args,
                   const char *const *keys, nc_diag *diag)
{
    memset(a, 0, sizeof *a);
    a->filter = filter;
    a->keys = keys;
    size_t nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    if (nkeys > NC_FARGS_MAX)
        nkeys = NC_FARGS_MAX;
    if (!args || !*args)
        return 0;
    a->store = nc_xstrdup(args);
    size_t npos = 0;
    bool named = false;
    for (char *p = a->store; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *item = trim(p);
        p = comma ? comma + 1 : NULL;
        if (!*item) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "filter %s: empty argument in '%s' (arguments are a,b or key=val,key=val)",
                           filter, args);
            goto fail;
        }
        char *eq = strchr(item, '=');
        size_t k;
        if (eq) {
            *eq = '\0';
            char *key = trim(item);
            for (k = 0; k < nkeys && strcmp(keys[k], key) != 0; k++)
                ;
            if (k == nkeys) {
                nc_buf valid = NC_BUF_INIT;
                list_keys(keys, &valid);
                nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                               "filter %s: unknown argument '%s' (valid: %s)", filter, key,
                               nc_buf_cstr(&valid));
                nc_buf_free(&valid);
                goto fail;
            }
            item = trim(eq + 1);
            named = true;
        } else {
            /* positional values come first, in the order of the names */
            if (named) {
                nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                               "filter %s: '%s' by position after an argument by name",
                               filter, item);
                goto fail;
            }
            k = npos++;
            if (k >= nkeys) {
                nc_buf valid = NC_BUF_INIT;
                list_keys(keys, &valid);
                nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                               "filter %s: too many arguments in '%s' (it takes: %s)", filter,
                               args, nc_buf_cstr(&valid));
                nc_buf_free(&valid);
                goto fail;
            }
        }
        if (a->vals[k]) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter %s: argument '%s' given twice",
                           filter, keys[k]);
            goto fail;
        }
        a->vals[k] = item;
    }
    return 0;
fail:
    nc_fargs_free(a);
    return -1;
}

void nc_fargs_free(nc_fargs *a)
{
    free(a->store);
    a->store = NULL;
    memset(a->vals, 0, sizeof a->vals);
}

int nc_fargs_int(const nc_fargs *a, size_t k, int lo, int hi, int *out, nc_diag *diag)
{
    const char *v = a->vals[k];
    if (!v)
        return 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "filter %s: %s wants a whole number from %d to %d, not '%s'", a->filter,
                       a->keys[k], lo, hi, v);
        return -1;
    }
    *out = (int)n;
    return 0;
}

int nc_fargs_choice(const nc_fargs *a, size_t k, const char *const *choices, int *out,
                    nc_diag *diag)
{
    const char *v = a->vals[k];
    if (!v)
        return 0;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], v) == 0) {
            *out = i;
            return 0;
        }
    nc_buf valid = NC_BUF_INIT;
    list_keys(choices, &valid);
    nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter %s: %s is one of %s, not '%s'", a->filter,
                   a->keys[k], nc_buf_cstr(&valid), v);
    nc_buf_free(&valid);
    return -1;
}

void nc_each_section_heading(nc_node *root, void (*fn)(nc_node *h, void *user), void *user)
{
    /* iterative, so that deeply nested divs cannot exhaust the stack */
    for (nc_node *n = root->first; n;) {
        if (n->kind == NC_HEADER)
            fn(n, user);
        if (n->kind == NC_DIV && n->first) {
            n = n->first;
            continue;
        }
        while (!n->next && n->parent && n->parent != root)
            n = n->parent;
        n = n->next;
    }
}
