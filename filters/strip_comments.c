/* strip_comments.c — the strip-comments filter: HTML comments go, as raw inlines and inside
 * raw HTML blocks, where the rest of the block stays as written. A <!-- toc --> marker stays
 * for the toc filter, which may run later (as --toc does, at the end of the chain). */
#include <string.h>
#include <strings.h>

#include "../src/internal.h"

static bool html(const nc_node *n)
{
    return n->format && strcmp(n->format, "html") == 0;
}

static const char *find(const char *s, const char *e, const char *what)
{
    size_t wl = strlen(what);
    for (; s + wl <= e; s++)
        if (*s == what[0] && memcmp(s, what, wl) == 0)
            return s;
    return NULL;
}

/* The text without its comments; a line that held only a comment goes with it. An unclosed
 * comment runs to the end, as in a browser. Returns whether anything was cut. */
static bool strip(const char *s, size_t len, nc_buf *out)
{
    const char *p = s, *e = s + len;
    const char *c = find(p, e, "<!--");
    if (!c)
        return false;
    nc_buf_clear(out);
    while (c) {
        const char *end = find(c + 4, e, "-->");
        /* "<!-->" and "<!--->" are comments that close at once */
        if (c + 4 < e && c[4] == '>')
            end = c + 2;
        else if (c + 5 < e && c[4] == '-' && c[5] == '>')
            end = c + 3;
        const char *after = end ? end + 3 : e;
        const char *a = c, *b = after;
        while (a > p && (a[-1] == ' ' || a[-1] == '\t'))
            a--;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        if ((a == s || a[-1] == '\n') && (b == e || *b == '\n')) {
            c = a;
            after = b < e ? b + 1 : b;
        } else if (c > p && c[-1] == ' ' && after < e && *after == ' ') {
            after++; /* "a <!-- x --> b" keeps one space */
        }
        nc_buf_put(out, p, (size_t)(c - p));
        p = after;
        c = find(p, e, "<!--");
    }
    nc_buf_put(out, p, (size_t)(e - p));
    return true;
}

static bool ends_space(const nc_node *n)
{
    return n->kind == NC_SPACE || n->kind == NC_SOFT_BREAK ||
           (n->kind == NC_STR && n->len && n->text[n->len - 1] == ' ');
}

static void one_space(nc_doc *doc, const nc_node *prev, nc_node *next)
{
    if (!ends_space(prev))
        return;
    if (next->kind == NC_SPACE)
        nc_node_unlink(next);
    else if (next->kind == NC_STR && next->len && next->text[0] == ' ')
        nc_node_set_text(doc, next, next->text + 1, next->len - 1);
}

static bool blank(const nc_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->ptr[i] != ' ' && b->ptr[i] != '\t' && b->ptr[i] != '\n' && b->ptr[i] != '\r')
            return false;
    return true;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "strip-comments", args, keys, diag) != 0)
        return -1;
    nc_fargs_free(&a);
    nc_buf out = NC_BUF_INIT;
    nc_node *root = nc_doc_root(doc);
    for (nc_node *n = root; n;) {
        nc_node *next = NULL;
        if ((n->kind == NC_RAW_BLOCK || n->kind == NC_RAW_INLINE) && html(n) &&
            !(n->kind == NC_RAW_BLOCK && nc_is_toc_comment(n->text, n->len)) &&
            strip(n->text, n->len, &out)) {
            if (blank(&out)) {
                /* the walk goes on from what followed it */
                nc_node *m = n;
                if (n->kind == NC_RAW_INLINE && n->prev && n->next)
                    one_space(doc, n->prev, n->next); /* "a <!-- x --> b" keeps one */
                while (m != root && !m->next)
                    m = m->parent;
                next = m == root ? NULL : m->next;
                nc_node_unlink(n);
                n = next;
                continue;
            }
            nc_node_set_text(doc, n, out.ptr, out.len);
        }
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        n = n == root ? NULL : n->next;
    }
    nc_buf_free(&out);
    return 0;
}

const nc_filter nc_filter_strip_comments = {
    "strip-comments",
    "drop HTML comments, inline and inside raw HTML blocks (the rest of a block stays)",
    "",
    false,
    run,
};
