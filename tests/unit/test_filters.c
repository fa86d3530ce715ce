/* test_filters.c — the argument helper of the built-in filters (by position, by name, every
 * error), and the filters of filters-a on edge cases: large and odd inputs must run in linear
 * time without crashing, and a second run must not double what the first did. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util.h"
#include "internal.h"

static nc_diag *dg;

static void fresh(void)
{
    nc_diag_free(dg);
    dg = nc_diag_new();
}

static void args_tests(void)
{
    static const char *const keys[] = {"depth", "style", NULL};
    nc_fargs a;
    fresh();
    CHECK(nc_fargs_parse(&a, "t", NULL, keys, dg) == 0);
    CHECK(!a.vals[0] && !a.vals[1]);
    nc_fargs_free(&a);
    CHECK(nc_fargs_parse(&a, "t", "2, x", keys, dg) == 0);
    CHECK_STR(a.vals[0], "2");
    CHECK_STR(a.vals[1], "x");
    int d = 0;
    CHECK(nc_fargs_int(&a, 0, 1, 6, &d, dg) == 0 && d == 2);
    nc_fargs_free(&a);
    CHECK(nc_fargs_parse(&a, "t", "style=a=b,depth= 3 ", keys, dg) == 0);
    CHECK_STR(a.vals[1], "a=b"); /* only the first '=' separates */
    CHECK_STR(a.vals[0], "3");
    nc_fargs_free(&a);
    CHECK(nc_fargs_parse(&a, "t", "4,style=y", keys, dg) == 0);
    CHECK_STR(a.vals[0], "4");
    nc_fargs_free(&a);

    const struct {
        const char *args, *msg;
    } bad[] = {
        {"1,2,3", "filter t: too many arguments in '1,2,3' (it takes: depth, style)"},
        {"size=1", "filter t: unknown argument 'size' (valid: depth, style)"},
        {"depth=1,2", "filter t: '2' by position after an argument by name"},
        {"1,depth=2", "filter t: argument 'depth' given twice"},
        {"1,,2", "filter t: empty argument in '1,,2' (arguments are a,b or key=val,key=val)"},
        {",", "filter t: empty argument in ',' (arguments are a,b or key=val,key=val)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fresh();
        CHECK(nc_fargs_parse(&a, "t", bad[i].args, keys, dg) == -1);
        CHECK_STR(last_message(dg), bad[i].msg);
        CHECK(a.store == NULL);
    }
    const char *ints[] = {"0", "7", "x", "", "2x", "99999999999999999999"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        fresh();
        nc_fargs b = {"t", keys, {ints[i]}, NULL};
        int v = 5;
        CHECK(nc_fargs_int(&b, 0, 1, 6, &v, dg) == -1 && v == 5);
    }
    static const char *const choices[] = {"remove", "mark", NULL};
    fresh();
    nc_fargs c = {"t", keys, {NULL, "mark"}, NULL};
    int ch = 0;
    CHECK(nc_fargs_choice(&c, 1, choices, &ch, dg) == 0 && ch == 1);
    c.vals[1] = "Mark";
    CHECK(nc_fargs_choice(&c, 1, choices, &ch, dg) == -1);
    CHECK_STR(last_message(dg), "filter t: style is one of remove, mark, not 'Mark'");
    static const char *const none[] = {NULL};
    fresh();
    CHECK(nc_fargs_parse(&a, "s", "x", none, dg) == -1);
    CHECK_STR(last_message(dg), "filter s: too many arguments in 'x' (it takes: none)");
}

static nc_doc *read_md(const char *s)
{
    fresh();
    nc_doc *doc = nc_doc_new();
    nc_options opt;
    nc_options_init(&opt);
    CHECK(nc_reader_find("markdown")->read(doc, s, strlen(s), "t.md", &opt, dg) == 0);
    return doc;
}

static int run(nc_doc *doc, const char *name, const char *args)
{
    nc_options opt;
    nc_options_init(&opt);
    return nc_filter_find(name)->run(doc, args, &opt, dg);
}

static const char *html(nc_doc *doc, nc_buf *out)
{
    nc_options opt;
    nc_options_init(&opt);
    nc_buf_clear(out);
    CHECK(nc_writer_find("html")->render(doc, &opt, out, dg) == 0);
    return nc_buf_cstr(out);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every filter over n headings, best of three runs (the machine may be busy). */
static double filters_time(int n)
{
    nc_buf md = NC_BUF_INIT;
    for (int i = 0; i < n; i++)
        nc_buf_printf(&md, "%.*s Heading \"%d\" -- ...\n\n%s", i % 4 + 1, "####", i,
                      i % 3 ? "" : "<!-- c --> \xe6\x97\xa5\n\xe6\x9c\xac text\n\n");
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
        nc_doc *doc = read_md(nc_buf_cstr(&md));
        double t0 = now();
        CHECK(run(doc, "heading-ids", NULL) == 0);
        const char *names[] = {"east-asian-breaks", "smart", "strip-comments",
                               "number-sections", "toc", "shift-headings", "empty-sections"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            CHECK(run(doc, names[i], i == 0 ? "always" : NULL) == 0);
        double t = now() - t0;
        if (t < best)
            best = t;
        nc_doc_free(doc);
    }
    nc_buf_free(&md);
    return best;
}

/* Linear: four times the headings cost about four times as much, not sixteen. */
static void big_tests(void)
{
    int n = getenv("NC_SANITIZED") ? 2000 : 8000;
    double t1 = filters_time(n), t4 = filters_time(4 * n);
    if (!(t4 < 8 * t1 + 0.02))
        fprintf(stderr, "filters: %d headings %.3fs, %d headings %.3fs\n", n, t1, 4 * n, t4);
    CHECK(t4 < 8 * t1 + 0.02);
}

static void edge_tests(void)
{
    nc_buf out = NC_BUF_INIT;
    /* a second toc and a second numbering replace the first */
    nc_doc *doc = read_md("# A\n\n## B\n");
    CHECK(run(doc, "heading-ids", NULL) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK(run(doc, "number-sections", NULL) == 0);
        CHECK(run(doc, "toc", NULL) == 0);
    }
    const char *h = html(doc, &out);
    CHECK(strstr(h, "<nav") && !strstr(strstr(h, "<nav") + 1, "<nav"));
    CHECK(strstr(h, "<span class=\"header-section-number\">1</span> A</h1>"));
    CHECK(!strstr(h, "</span> <span"));
    nc_doc_free(doc);

    /* odd comments and quotes never crash and leave what is not theirs */
    const char *odd[] = {"<!-->x", "<!--->", "a <!-- b", "<!--\n-->\n", "\"", "'", "--",
                         "...", "\"\"\"'''---....", "日\n", "\n本", "# [TOC]\n\n[TOC]\n[TOC]"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        doc = read_md(odd[i]);
        CHECK(run(doc, "strip-comments", NULL) == 0);
        CHECK(run(doc, "smart", NULL) == 0);
        CHECK(run(doc, "east-asian-breaks", "always") == 0);
        CHECK(run(doc, "toc", NULL) == 0);
        CHECK(run(doc, "empty-sections", "mark") == 0);
        CHECK(run(doc, "shift-headings", "-5") == 0);
        html(doc, &out);
        nc_doc_free(doc);
    }
    doc = read_md("<!-->x\n");
    CHECK(run(doc, "strip-comments", NULL) == 0);
    CHECK_STR(html(doc, &out), "x\n");
    nc_doc_free(doc);
    doc = read_md("a <!-- b --> c <!--->d\n");
    CHECK(run(doc, "strip-comments", NULL) == 0);
    CHECK_STR(html(doc, &out), "<p>a c &lt;!---&gt;d</p>\n"); /* "<!--->" is text to cmark */
    nc_doc_free(doc);

    /* the smart filter: an apostrophe at a word's start, quotes around code */
    doc = read_md("'90s and \"`x`\"\n");
    CHECK(run(doc, "smart", NULL) == 0);
    CHECK_STR(html(doc, &out),
              "<p>\xe2\x80\x98" "90s and \xe2\x80\x9c<code>x</code>\xe2\x80\x9d</p>\n");
    nc_doc_free(doc);
    nc_buf_free(&out);
}

int main(void)
{
    args_tests();
    edge_tests();
    big_tests();
    nc_diag_free(dg);
    return check_done();
}
