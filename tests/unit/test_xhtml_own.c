/* test_xhtml_own.c — the XHTML writer reads the HTML writer's own output without libxml2
 * (xhtml_own.c): for every note here — the shared corpus, samples/, the golden tests' notes
 * and hand-made edge cases — its body and headings must be byte for byte what libxml2's
 * reading gives, fragment and book alike; notes without raw HTML must not need libxml2. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"
#include "writer/xhtml.h"

static int compared, own_read;
static bool last_raw; /* the last note compared has raw HTML */

static bool raw_html(nc_doc *doc)
{
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if ((n->kind == NC_RAW_BLOCK || n->kind == NC_RAW_INLINE) && n->format &&
            strcmp(n->format, "html") == 0)
            return true;
    }
    return false;
}

/* The note's body both ways; returns whether the own reader was used. */
static bool compare(const char *name, const char *md, size_t len, bool book)
{
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_options opt;
    nc_options_init(&opt);
    opt.target = "xhtml";
    nc_chain *chain = nc_chain_new();
    bool own = false;
    if (nc_reader_find("markdown")->read(doc, md, len, name, &opt, diag) != 0 ||
        nc_chain_run(chain, doc, &opt, diag) != 0) {
        fprintf(stderr, "%s: does not read\n", name);
        CHECK(!"a note that reads");
        goto out;
    }
    last_raw = raw_html(doc);
    nc_xhtml a = {.book = book}, b = {.book = book, .libxml2 = true};
    nc_buf oa = NC_BUF_INIT, ob = NC_BUF_INIT;
    int ra = nc_xhtml_body(doc, nc_doc_root(doc), &opt, &a, &oa, diag);
    int rb = nc_xhtml_body(doc, nc_doc_root(doc), &opt, &b, &ob, diag);
    CHECK(ra == rb);
    CHECK(b.read_by_libxml2 || ob.len == 0);
    bool same = oa.len == ob.len && (oa.len == 0 || memcmp(oa.ptr, ob.ptr, oa.len) == 0);
    same = same && a.nheads == b.nheads;
    for (size_t i = 0; same && i < a.nheads; i++)
        same = a.heads[i].level == b.heads[i].level && strcmp(a.heads[i].id, b.heads[i].id) == 0 &&
               strcmp(a.heads[i].text, b.heads[i].text) == 0;
    if (!same) {
        size_t k = 0;
        while (k < oa.len && k < ob.len && oa.ptr[k] == ob.ptr[k])
            k++;
        size_t from = k > 60 ? k - 60 : 0;
        fprintf(stderr, "%s%s: differs at byte %zu\n  own:     %.120s\n  libxml2: %.120s\n",
                name, book ? " (book)" : "", k, oa.ptr ? oa.ptr + from : "",
                ob.ptr ? ob.ptr + from : "");
    }
    CHECK(same);
    compared++;
    own = !a.read_by_libxml2;
    own_read += own;
    nc_buf_free(&oa);
    nc_buf_free(&ob);
    nc_xhtml_free(&a);
    nc_xhtml_free(&b);
out:
    nc_chain_free(chain);
    nc_doc_free(doc);
    nc_diag_free(diag);
    return own;
}

static int files_missed;

static int visit(const char *path, const struct stat *st, int kind, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (kind != FTW_F || n < 3 || strcmp(path + n - 3, ".md") != 0 ||
        strcmp(path + (n >= 9 ? n - 9 : 0), "README.md") == 0)
        return 0;
    size_t len;
    unsigned char *md = slurp(path, &len);
    if (!md)
        return 0;
    bool own = compare(path, (char *)md, len, false);
    compare(path, (char *)md, len, true);
    if (!own && !last_raw) {
        fprintf(stderr, "%s: no raw HTML, yet libxml2 read it\n", path);
        files_missed++;
    }
    free(md);
    return 0;
}

static void tree(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        printf("SKIP: %s is absent\n", dir);
        return;
    }
    nftw(dir, visit, 16, FTW_PHYS);
}

static void text(const char *name, const char *md, bool want_own)
{
    bool own = compare(name, md, strlen(md), false);
    compare(name, md, strlen(md), true);
    if (own != want_own)
        fprintf(stderr, "%s: read by %s\n", name, own ? "the own reader" : "libxml2");
    CHECK(own == want_own);
}

static char *repeat(const char *open, const char *mid, int n)
{
    nc_buf b = NC_BUF_INIT;
    for (int i = 0; i < n; i++)
        nc_buf_puts(&b, open);
    nc_buf_puts(&b, mid);
    return nc_buf_detach(&b, NULL);
}

static void edge_cases(void)
{
    text("empty", "", true);
    text("headings",
         "# A & B < c > \"q\" 'x'\n\n## A & B < c > \"q\" 'x'\n\n### 見出し　と　空白\n\n"
         "#### `code` *em* **strong** ~~del~~\n\n# A & B < c > \"q\" 'x'\n",
         true);
    text("links",
         "[x](http://a.b/?q=1&r='2' \"t & 'u' <v>\") [frag](#a-b) <https://x.y/z?a&b> "
         "<me@example.com> [up](../other.md#sec) [sp](<a b.html>)\n\n# a b\n",
         true);
    text("images",
         "![alt \"q\" & < x >](pic.png \"title & 'q'\")\n\ntext ![inline](i.png) more\n\n"
         "![](remote.png) ![r](https://example.com/a.png)\n",
         true);
    text("table",
         "| a | b & c | d |\n|:--|:-:|--:|\n| 1 | `<x>` | **3** |\n| x\\|y | | z |\n", true);
    text("tasks", "- [ ] open & 'q'\n- [x] done\n  - [ ] nested\n", true);
    text("footnotes",
         "A[^1] and B[^n] and A again[^1].\n\n[^1]: One & \"two\".\n[^n]: Multi\n\n    para.\n",
         true);
    text("code",
         "```c\nint a = b < c && d > e; /* \"q\" 'x' */\n\tif (x) {}\n```\n\n"
         "    indented <code>\n\ninline `a<b>&c` done\n",
         true);
    text("breaks", "line one  \nline two\\\nline three\nsoft\n", true);
    text("quotes", "> q1\n>\n> > q2 & < x >\n>\n> - in list\n", true);
    text("cjk and emoji", "日本語の文章。😀 𠮷野家 ｶﾀｶﾅ\n\n- 項目 😀\n", true);
    text("hugo figure",
         "{{< figure src=\"a.png\" title=\"T & 'u'\" alt=\"A\" >}}\n\n"
         "{{< figure src=\"https://example.com/b.png\" caption=\"<b>c</b>\" >}}\n",
         true);
    text("attributes", "# Head {#my-id .cls key=\"v&w\"}\n\n[link](#my-id)\n", true);
    text("ordered", "3. three\n4. four\n\n1) one\n2) two\n", true);
    text("hr and nested", "a\n\n---\n\n1. x\n   > q\n   ```\n   code\n   ```\n", true);
    text("ids needing care", "# 1st\n\n# -dash\n\n# a:b.c\n\n# \n\n# x y\n", true);
    /* raw HTML: libxml2 */
    text("raw html", "a<br>b\n\n<div class=\"x\">\nblock\n</div>\n", false);
    /* control characters and noncharacters: libxml2 (if they reach the HTML) */
    text("controls", "a\x01 b\x7f c \xef\xbf\xbe d\n", false);
    /* deep nesting: past the own reader's depth, libxml2 reads it */
    char *deep = repeat("> ", "deep\n", 250);
    text("quotes 250 deep", deep, false);
    free(deep);
    deep = repeat("> ", "deep\n", 60);
    text("quotes 60 deep", deep, true);
    free(deep);
    nc_buf b = NC_BUF_INIT;
    for (int i = 0; i < 40; i++) {
        for (int k = 0; k < i; k++)
            nc_buf_puts(&b, "  ");
        nc_buf_printf(&b, "- level %d\n", i);
    }
    text("list 40 deep", nc_buf_cstr(&b), true);
    nc_buf_free(&b);
}

int main(void)
{
    edge_cases();
    const char *src = getenv("NC_SOURCE_DIR");
    char dir[4096];
    if (src) {
        snprintf(dir, sizeof dir, "%s/samples", src);
        tree(dir);
        snprintf(dir, sizeof dir, "%s/tests/golden", src);
        tree(dir);
        snprintf(dir, sizeof dir, "%s/../shared/corpus", src);
        tree(dir);
    } else {
        printf("SKIP: NC_SOURCE_DIR is not set: no notes from files\n");
    }
    CHECK(files_missed == 0);
    printf("%d bodies compared, %d read without libxml2\n", compared, own_read);
    return check_done();
}
