/* test_html.c — the HTML writer on documents built by hand: the kinds cmark-gfm never makes
 * (rendered as pandoc's HTML5 writer would), attributes, escaping, footnotes and -s pages. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "noteconv/noteconv.h"

extern const nc_writer nc_writer_html;

static nc_doc *doc;

static nc_node *node(nc_kind k, nc_node *parent)
{
    nc_node *n = nc_node_new(doc, k, NULL);
    if (parent)
        nc_node_append(parent, n);
    return n;
}

static nc_node *text(nc_kind k, nc_node *parent, const char *s)
{
    nc_node *n = node(k, parent);
    nc_node_set_text(doc, n, s, strlen(s));
    return n;
}

static nc_node *para(nc_kind k, nc_node *parent, const char *s)
{
    nc_node *p = node(k, parent);
    text(NC_STR, p, s);
    return p;
}

static char *render_opt(const nc_options *opt, int *rc)
{
    nc_diag *d = nc_diag_new();
    nc_buf out = NC_BUF_INIT;
    *rc = nc_writer_html.render(doc, opt, &out, d);
    if (*rc) {
        nc_buf_clear(&out);
        nc_buf_puts(&out, "ERROR: ");
        if (nc_diag_size(d))
            nc_diag_format(nc_diag_get(d, 0), &out);
    }
    nc_diag_free(d);
    char *s = nc_xstrdup(nc_buf_cstr(&out));
    nc_buf_free(&out);
    return s;
}

static char *render(void)
{
    nc_options o;
    nc_options_init(&o);
    int rc;
    return render_opt(&o, &rc);
}

#define EXPECT(want)                                                                  \
    do {                                                                              \
        char *got_ = render();                                                        \
        CHECK_STR(got_, want);                                                        \
        free(got_);                                                                   \
    } while (0)

static nc_node *fresh(void)
{
    nc_doc_free(doc);
    doc = nc_doc_new();
    return nc_doc_root(doc);
}

static void escaping(void)
{
    nc_node *root = fresh();
    nc_node *p = para(NC_PARA, root, "a & b < c > d \"e\" 'f' /g");
    nc_node *l = node(NC_LINK, p);
    l->url = "http://x.org/a b?q=1&r='ü'<>\"|[]{}`\\^";
    l->title = "t \"q\" & <x>";
    text(NC_STR, l, "L");
    node(NC_SOFT_BREAK, p);
    text(NC_CODE, p, "<&>");
    node(NC_LINE_BREAK, p);
    nc_node *img = node(NC_IMAGE, p);
    img->url = "i mg.png";
    text(NC_STR, img, "alt ");
    nc_node *em = node(NC_EMPH, img);
    text(NC_STR, em, "\"x\"");
    node(NC_SPACE, img);
    text(NC_CODE, img, "c<");
    EXPECT("<p>a &amp; b &lt; c &gt; d &quot;e&quot; 'f' /g<a "
           "href=\"http://x.org/a%20b?q=1&amp;r=&#x27;%C3%BC&#x27;%3C%3E%22%7C%5B%5D%7B%7D%60%5C%5E\" "
           "title=\"t &quot;q&quot; &amp; &lt;x&gt;\">L</a>\n<code>&lt;&amp;&gt;</code><br />\n"
           "<img src=\"i%20mg.png\" alt=\"alt &quot;x&quot; c&lt;\" /></p>\n");

    /* an image without alt text and with a title */
    root = fresh();
    p = node(NC_PARA, root);
    img = node(NC_IMAGE, p);
    img->url = "a.png";
    img->title = "T";
    EXPECT("<p><img src=\"a.png\" alt=\"\" title=\"T\" /></p>\n");
}

static void blocks(void)
{
    nc_node *root = fresh();
    nc_node *h = para(NC_HEADER, root, "Title & co");
    h->level = 2;
    nc_node_set_id(doc, h, "title-&-co");
    nc_node_add_class(doc, h, "big");
    nc_node_set_kv(doc, h, "k", "v");
    nc_node *bq = node(NC_BLOCK_QUOTE, root);
    para(NC_PARA, bq, "q");
    node(NC_HORIZONTAL_RULE, root);
    nc_node *cb = text(NC_CODE_BLOCK, root, "x < 1\ny");
    nc_node_add_class(doc, cb, "c++");
    nc_node *cb2 = text(NC_CODE_BLOCK, root, "plain");
    nc_node_set_id(doc, cb2, "code1");
    nc_node_add_class(doc, cb2, "py");
    nc_node_add_class(doc, cb2, "numberLines");
    nc_node_set_kv(doc, cb2, "startFrom", "3");
    text(NC_CODE_BLOCK, root, "");
    /* only blank lines: the model keeps every newline, so none is added */
    text(NC_CODE_BLOCK, root, "\n");
    text(NC_CODE_BLOCK, root, "\n\n");
    nc_node *raw = text(NC_RAW_BLOCK, root, "\\newpage");
    raw->format = "latex";
    raw = text(NC_RAW_BLOCK, root, "<div>raw</div>");
    raw->format = "html";
    nc_node *p = para(NC_PARA, root, "x");
    nc_node *ri = text(NC_RAW_INLINE, p, "\\LaTeX");
    ri->format = "tex";
    ri = text(NC_RAW_INLINE, p, "<b>");
    ri->format = "html";
    EXPECT("<h2 id=\"title-&amp;-co\" class=\"big\" data-k=\"v\">Title &amp; co</h2>\n"
           "<blockquote>\n<p>q</p>\n</blockquote>\n<hr />\n"
           "<pre><code class=\"language-c++\">x &lt; 1\ny\n</code></pre>\n"
           "<pre id=\"code1\" class=\"numberLines\" data-startFrom=\"3\">"
           "<code class=\"language-py\">plain\n</code></pre>\n"
           "<pre><code></code></pre>\n"
           "<pre><code>\n</code></pre>\n"
           "<pre><code>\n\n</code></pre>\n"
           "<div>raw</div>\n"
           "<p>x<b></p>\n");
}

static void lists(void)
{
    nc_node *root = fresh();
    nc_node *ul = node(NC_BULLET_LIST, root);
    nc_node *li = node(NC_LIST_ITEM, ul);
    li->task = NC_TASK_DONE;
    para(NC_PLAIN, li, "done");
    li = node(NC_LIST_ITEM, ul);
    li->task = NC_TASK_OPEN;
    para(NC_PLAIN, li, "open");
    nc_node *sub = node(NC_ORDERED_LIST, li);
    sub->start = 3;
    sub->style = NC_LIST_LOWER_ROMAN;
    para(NC_PLAIN, node(NC_LIST_ITEM, sub), "iii");
    para(NC_PLAIN, li, "after");
    nc_node *ol = node(NC_ORDERED_LIST, root);
    ol->style = NC_LIST_EXAMPLE;
    li = node(NC_LIST_ITEM, ol);
    para(NC_PARA, li, "loose");
    para(NC_PARA, li, "two");
    EXPECT("<ul>\n"
           "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n"
           "<li><input type=\"checkbox\" disabled=\"\" /> open\n"
           "<ol start=\"3\" type=\"i\">\n<li>iii</li>\n</ol>\nafter</li>\n"
           "</ul>\n"
           "<ol class=\"example\">\n<li>\n<p>loose</p>\n<p>two</p>\n</li>\n</ol>\n");
}

static void pandoc_kinds(void)
{
    nc_node *root = fresh();
    nc_node *div = node(NC_DIV, root);
    nc_node_set_id(doc, div, "d1");
    nc_node_add_class(doc, div, "c1");
    nc_node_add_class(doc, div, "c2");
    nc_node_set_kv(doc, div, "k", "v\"");
    nc_node_set_kv(doc, div, "data-x", "y");
    nc_node_set_kv(doc, div, "style", "color:red");
    nc_node_set_kv(doc, div, "aria-label", "A");
    para(NC_PARA, div, "a");

    nc_node *p = node(NC_PARA, root);
    nc_node *sp = node(NC_SPAN, p);
    nc_node_add_class(doc, sp, "sc");
    nc_node_set_kv(doc, sp, "lang", "ja");
    text(NC_STR, sp, "sp");
    text(NC_STR, node(NC_SPAN, p), "bare");
    text(NC_STR, node(NC_UNDERLINE, p), "u");
    text(NC_STR, node(NC_SUPERSCRIPT, p), "2");
    text(NC_STR, node(NC_SUBSCRIPT, p), "i");
    text(NC_STR, node(NC_SMALL_CAPS, p), "sc");
    text(NC_STR, node(NC_STRIKEOUT, p), "del");
    text(NC_STR, node(NC_STRONG, p), "b");
    nc_node *q = node(NC_QUOTED, p);
    q->quote = NC_QUOTE_DOUBLE;
    text(NC_STR, q, "q");
    q = node(NC_QUOTED, p);
    text(NC_STR, q, "s");
    nc_node *m = text(NC_MATH, p, "x<y");
    m->math = NC_MATH_INLINE;
    m = text(NC_MATH, p, "E=mc^2");
    m->math = NC_MATH_DISPLAY;
    nc_node *cite = text(NC_CITE, p, "[{\"citationId\":\"doe99\"},{\"citationId\":\"roe&1\"}]");
    text(NC_STR, cite, "[@doe99]");
    nc_node *code = text(NC_CODE, p, "f x");
    nc_node_set_id(doc, code, "cid");
    nc_node_add_class(doc, code, "haskell");
    nc_node *lk = node(NC_LINK, p);
    lk->url = "#x";
    nc_node_add_class(doc, lk, "lc");
    nc_node_set_kv(doc, lk, "target", "_blank");
    lk->title = "T";
    text(NC_STR, lk, "L");
    nc_node *img = node(NC_IMAGE, p);
    img->url = "i.png";
    nc_node_set_id(doc, img, "iid");
    nc_node_set_kv(doc, img, "width", "50%");
    nc_node_set_kv(doc, img, "height", "20px");
    text(NC_STR, img, "alt");
    nc_node *img2 = node(NC_IMAGE, p);
    img2->url = "j.png";
    nc_node_set_kv(doc, img2, "width", "10em");
    nc_node_set_kv(doc, img2, "style", "border:0");

    nc_node *lb = node(NC_LINE_BLOCK, root);
    text(NC_STR, node(NC_LINE, lb), "l1");
    nc_node *line = node(NC_LINE, lb);
    text(NC_STR, line, "l2");
    node(NC_SPACE, line);
    text(NC_STR, line, "x");

    nc_node *dl = node(NC_DEFINITION_LIST, root);
    nc_node *item = node(NC_DEF_ITEM, dl);
    para(NC_DEF_TERM, item, "T");
    para(NC_PARA, node(NC_DEF_DATA, item), "d1");
    para(NC_PLAIN, node(NC_DEF_DATA, item), "d2");
    item = node(NC_DEF_ITEM, dl);
    para(NC_DEF_TERM, item, "T2");
    nc_node *dd = node(NC_DEF_DATA, item);
    para(NC_PLAIN, dd, "x");
    para(NC_PLAIN, dd, "y");

    nc_node *fig = node(NC_FIGURE, root);
    nc_node_set_id(doc, fig, "fig1");
    para(NC_PLAIN, node(NC_CAPTION, fig), "cap");
    nc_node *fp = node(NC_PLAIN, fig);
    img = node(NC_IMAGE, fp);
    img->url = "f.png";
    text(NC_STR, img, "cap");
    /* a figure without a caption, and one with a caption only */
    para(NC_PARA, node(NC_FIGURE, root), "solo");
    fig = node(NC_FIGURE, root);
    para(NC_PARA, node(NC_CAPTION, fig), "only");

    EXPECT("<div id=\"d1\" class=\"c1 c2\" data-k=\"v&quot;\" data-x=\"y\" style=\"color:red\" "
           "aria-label=\"A\">\n<p>a</p>\n</div>\n"
           "<p><span class=\"sc\" lang=\"ja\">sp</span><span>bare</span><u>u</u><sup>2</sup>"
           "<sub>i</sub><span class=\"smallcaps\">sc</span><del>del</del><strong>b</strong>"
           "\xE2\x80\x9Cq\xE2\x80\x9D\xE2\x80\x98s\xE2\x80\x99"
           "<span class=\"math inline\">\\(x&lt;y\\)</span>"
           "<span class=\"math display\">\\[E=mc^2\\]</span>"
           "<span class=\"citation\" data-cites=\"doe99 roe&amp;1\">[@doe99]</span>"
           "<code id=\"cid\" class=\"haskell\">f x</code>"
           "<a href=\"#x\" class=\"lc\" target=\"_blank\" title=\"T\">L</a>"
           "<img src=\"i.png\" id=\"iid\" height=\"20\" style=\"width:50%\" alt=\"alt\" />"
           "<img src=\"j.png\" style=\"width:10em;border:0\" alt=\"\" /></p>\n"
           "<div class=\"line-block\">l1<br />\nl2 x</div>\n"
           "<dl>\n<dt>T</dt>\n<dd>\n<p>d1</p>\n</dd>\n<dd>\nd2\n</dd>\n"
           "<dt>T2</dt>\n<dd>\nx\ny\n</dd>\n</dl>\n"
           "<figure id=\"fig1\">\n<img src=\"f.png\" alt=\"cap\" />\n"
           "<figcaption>cap</figcaption>\n</figure>\n"
           "<figure>\n<p>solo</p>\n</figure>\n"
           "<figure>\n<figcaption>\n<p>only</p>\n</figcaption>\n</figure>\n");

    /* figures inside figures: each caption lands at its own figure's end */
    root = fresh();
    fig = node(NC_FIGURE, root);
    para(NC_PLAIN, node(NC_CAPTION, fig), "outer");
    nc_node *inner = node(NC_FIGURE, fig);
    para(NC_PLAIN, node(NC_CAPTION, inner), "inner");
    para(NC_PARA, inner, "body");
    EXPECT("<figure>\n<figure>\n<p>body</p>\n<figcaption>inner</figcaption>\n</figure>\n"
           "<figcaption>outer</figcaption>\n</figure>\n");
}

static nc_node *cell(nc_node *row, const char *s, nc_align al, int colspan, int rowspan)
{
    nc_node *c = node(NC_TABLE_CELL, row);
    c->align = al;
    c->colspan = colspan;
    c->rowspan = rowspan;
    if (s)
        para(NC_PLAIN, c, s);
    return c;
}

static void tables(void)
{
    /* the shape the Markdown reader makes: like cmark-gfm's */
    nc_node *root = fresh();
    nc_node *t = node(NC_TABLE, root);
    t->ncols = 2;
    t->cols = nc_doc_alloc(doc, 2 * sizeof *t->cols);
    t->cols[0].align = NC_ALIGN_CENTER;
    nc_node *row = node(NC_TABLE_ROW, node(NC_TABLE_HEAD, t));
    cell(row, "a", NC_ALIGN_CENTER, 1, 1);
    cell(row, "b", NC_ALIGN_DEFAULT, 1, 1);
    nc_node *body = node(NC_TABLE_BODY, t);
    row = node(NC_TABLE_ROW, body);
    cell(row, "1", NC_ALIGN_DEFAULT, 1, 1); /* the column's alignment applies */
    cell(row, NULL, NC_ALIGN_RIGHT, 1, 1);
    EXPECT("<table>\n<thead>\n<tr>\n<th align=\"center\">a</th>\n<th>b</th>\n</tr>\n</thead>\n"
           "<tbody>\n<tr>\n<td align=\"center\">1</td>\n<td align=\"right\"></td>\n</tr>\n"
           "</tbody>\n</table>\n");

    /* no body rows: no <tbody>, as cmark-gfm */
    nc_node_unlink(row);
    EXPECT("<table>\n<thead>\n<tr>\n<th align=\"center\">a</th>\n<th>b</th>\n</tr>\n</thead>\n"
           "</table>\n");

    /* pandoc's extras: caption, widths, spans, row heads, foot, attributes */
    root = fresh();
    t = node(NC_TABLE, root);
    nc_node_set_id(doc, t, "tid");
    t->ncols = 3;
    t->cols = nc_doc_alloc(doc, 3 * sizeof *t->cols);
    t->cols[0].width = 0.3;
    para(NC_PLAIN, node(NC_CAPTION, t), "Cap");
    node(NC_TABLE_HEAD, t); /* empty: no <thead> */
    body = node(NC_TABLE_BODY, t);
    body->rowhead_cols = 1;
    row = node(NC_TABLE_ROW, body);
    cell(row, "r1", NC_ALIGN_DEFAULT, 1, 2);
    nc_node *c = cell(row, NULL, NC_ALIGN_DEFAULT, 2, 1);
    para(NC_PARA, c, "p1");
    para(NC_PARA, c, "p2");
    row = node(NC_TABLE_ROW, body);
    row->head = true;
    cell(row, "h", NC_ALIGN_DEFAULT, 2, 1);
    row = node(NC_TABLE_ROW, node(NC_TABLE_FOOT, t));
    nc_node_add_class(doc, row, "total");
    cell(row, "f", NC_ALIGN_LEFT, 3, 1);
    EXPECT("<table id=\"tid\">\n<caption>Cap</caption>\n"
           "<colgroup>\n<col style=\"width: 30%\" />\n<col />\n<col />\n</colgroup>\n"
           "<tbody>\n<tr>\n<th rowspan=\"2\">r1</th>\n<td colspan=\"2\">\n<p>p1</p>\n<p>p2</p>\n"
           "</td>\n</tr>\n<tr>\n<th colspan=\"2\">h</th>\n</tr>\n</tbody>\n"
           "<tfoot>\n<tr class=\"total\">\n<td align=\"left\" colspan=\"3\">f</td>\n</tr>\n"
           "</tfoot>\n</table>\n");
}

static nc_node *note(nc_node *parent, const char *label, const char *body)
{
    nc_node *n = node(NC_NOTE, parent);
    n->label = label;
    para(NC_PARA, n, body);
    return n;
}

#define REF(id, refid, num)                                                           \
    "<sup class=\"footnote-ref\"><a href=\"#fn-" id "\" id=\"fnref-" refid            \
    "\" data-footnote-ref>" num "</a></sup>"
#define BACK(id)                                                                      \
    "<a href=\"#fnref-" id "\" class=\"footnote-backref\" data-footnote-backref "     \
    "aria-label=\"Back to content\">\xE2\x86\xA9"

static void footnotes(void)
{
    nc_node *root = fresh();
    nc_node *p = para(NC_PARA, root, "a");
    note(p, "x&y", "X");
    text(NC_STR, p, "b");
    nc_node *two = note(p, "two", "Two");
    note(two->first, "x&y", "X");
    note(two->first, "nest", "N"); /* numbered after the body's references */
    note(p, "x&y", "ignored: the first copy is the footnote");
    note(p, NULL, "anon"); /* from pandoc JSON: a number of its own */
    nc_node *blk = note(p, "blk", "para");
    para(NC_PLAIN, node(NC_LIST_ITEM, node(NC_BULLET_LIST, blk)), "item");
    /* a reference inside an image's alt text is counted but not shown */
    nc_node *img = node(NC_IMAGE, p);
    img->url = "i.png";
    text(NC_STR, img, "pic");
    note(img, "blk", "para");
    EXPECT("<p>a" REF("x&amp;y", "x&amp;y", "1") "b" REF("two", "two", "2")
           REF("x&amp;y", "x&amp;y-2", "1") REF("3", "3", "3") REF("blk", "blk", "4")
           "<img src=\"i.png\" alt=\"pic\" /></p>\n"
           "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
           "<li id=\"fn-x&amp;y\">\n<p>X " BACK("x&amp;y") "</a> " BACK("x&amp;y-2")
           "<sup class=\"footnote-ref\">2</sup></a> " BACK("x&amp;y-3")
           "<sup class=\"footnote-ref\">3</sup></a></p>\n</li>\n"
           "<li id=\"fn-two\">\n<p>Two" REF("x&amp;y", "x&amp;y-3", "1") REF("nest", "nest", "5")
           " " BACK("two") "</a></p>\n</li>\n"
           "<li id=\"fn-3\">\n<p>anon " BACK("3") "</a></p>\n</li>\n"
           "<li id=\"fn-blk\">\n<p>para</p>\n<ul>\n<li>item</li>\n</ul>\n" BACK("blk") "</a> "
           BACK("blk-2") "<sup class=\"footnote-ref\">2</sup></a>\n</li>\n"
           "<li id=\"fn-nest\">\n<p>N " BACK("nest") "</a></p>\n</li>\n"
           "</ol>\n</section>\n");
}

/* A figure's caption is written after its body: references are numbered, and linked, in the
 * order they are written. */
static void figure_notes(void)
{
    nc_node *root = fresh();
    nc_node *fig = node(NC_FIGURE, root);
    nc_node *cap = para(NC_PLAIN, node(NC_CAPTION, fig), "cap");
    note(cap, "c", "C");
    nc_node *body = para(NC_PARA, fig, "body");
    note(body, "b", "B");
    EXPECT("<figure>\n<p>body" REF("b", "b", "1") "</p>\n"
           "<figcaption>cap" REF("c", "c", "2") "</figcaption>\n</figure>\n"
           "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
           "<li id=\"fn-b\">\n<p>B " BACK("b") "</a></p>\n</li>\n"
           "<li id=\"fn-c\">\n<p>C " BACK("c") "</a></p>\n</li>\n"
           "</ol>\n</section>\n");
}

static void deep(void)
{
    /* nesting far beyond any stack: the walk is iterative */
    nc_node *root = fresh();
    nc_node *n = root;
    for (int i = 0; i < 100000; i++)
        n = node(NC_BLOCK_QUOTE, n);
    para(NC_PARA, n, "deep");
    char *got = render();
    CHECK(strncmp(got, "<blockquote>\n<blockquote>\n", 26) == 0);
    CHECK(strstr(got, "<p>deep</p>\n</blockquote>\n") != NULL);
    CHECK(strlen(got) == 100000 * strlen("<blockquote>\n</blockquote>\n") + strlen("<p>deep</p>\n"));
    free(got);

    root = fresh();
    EXPECT("");
}

static nc_meta *mstr(const char *s)
{
    return nc_meta_new_string(doc, s, strlen(s));
}

static void standalone(void)
{
    nc_node *root = fresh();
    nc_doc_set_path(doc, "/notes/2024-05-01 meetup.md");
    nc_meta *meta = nc_doc_meta(doc);
    nc_meta_set(doc, meta, "title", mstr("A & B <i>"));
    nc_meta *authors = nc_meta_new(doc, NC_META_LIST);
    nc_meta_push(doc, authors, mstr("Ann"));
    nc_meta_push(doc, authors, mstr("Bo \"B\""));
    nc_meta_set(doc, meta, "author", authors);
    nc_meta_set(doc, meta, "date", mstr("2024-05-01"));
    nc_meta *tags = nc_meta_new(doc, NC_META_LIST);
    nc_meta_push(doc, tags, mstr("go"));
    nc_meta_push(doc, tags, mstr("k8s"));
    nc_meta_set(doc, meta, "tags", tags);
    nc_meta_set(doc, meta, "lang", mstr("ja"));
    para(NC_PARA, root, "body");

    nc_options o;
    nc_options_init(&o);
    o.standalone = true;
    const char *css[] = {"a b.css", "https://x.org/s.css?v=1&w=2"};
    o.css = css;
    o.ncss = 2;
    int rc;
    char *page = render_opt(&o, &rc);
    CHECK(rc == 0);
    CHECK(strncmp(page, "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\" />\n",
                  64) == 0);
    CHECK(strstr(page, "<title>A &amp; B &lt;i&gt;</title>\n") != NULL);
    CHECK(strstr(page, "<meta name=\"author\" content=\"Ann\" />\n"
                       "<meta name=\"author\" content=\"Bo &quot;B&quot;\" />\n") != NULL);
    CHECK(strstr(page, "<meta name=\"dcterms.date\" content=\"2024-05-01\" />\n") != NULL);
    CHECK(strstr(page, "<meta name=\"keywords\" content=\"go, k8s\" />\n") != NULL);
    CHECK(strstr(page, "<style>\n") != NULL);
    CHECK(strstr(page, "<link rel=\"stylesheet\" href=\"a%20b.css\" />\n"
                       "<link rel=\"stylesheet\" href=\"https://x.org/s.css?v=1&amp;w=2\" />\n"
                       "</head>\n") != NULL);
    CHECK(strstr(page, "<h1 class=\"title\">A &amp; B &lt;i&gt;</h1>\n"
                       "<p class=\"author\">Ann</p>\n<p class=\"author\">Bo &quot;B&quot;</p>\n"
                       "<p class=\"date\">2024-05-01</p>\n"
                       "<ul class=\"tags\">\n<li>go</li>\n<li>k8s</li>\n</ul>\n</header>\n"
                       "<p>body</p>\n</body>\n</html>\n") != NULL);
    free(page);

    /* -V nostyle leaves the built-in stylesheet out; no title, no title block */
    nc_meta_remove(meta, "title");
    nc_kv vars[] = {{"nostyle", NULL}};
    o.vars = vars;
    o.nvars = 1;
    o.ncss = 0;
    page = render_opt(&o, &rc);
    CHECK(strstr(page, "<style>") == NULL);
    CHECK(strstr(page, "<header") == NULL);
    CHECK(strstr(page, "<title>2024-05-01 meetup</title>") != NULL);
    free(page);

    /* the page title falls back on the first level-one heading */
    nc_node *h = para(NC_HEADER, root, "First <h1>");
    h->level = 1;
    nc_node_prepend(root, h);
    page = render_opt(&o, &rc);
    CHECK(strstr(page, "<title>First &lt;h1&gt;</title>") != NULL);
    free(page);

    /* a template file: metadata escaped, -V verbatim and repeatable */
    char path[] = "/tmp/nc_test_html_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("$pagetitle$|$for(author)$$author$$sep$,$endfor$|$lang$|$raw$|"
          "$for(multi)$[$multi$]$endfor$|$generator$\n$body$\n",
          f);
    fclose(f);
    nc_kv vars2[] = {{"raw", "<b>&</b>"}, {"multi", "1"}, {"multi", "2"}, {"multi", "3"}};
    o.vars = vars2;
    o.nvars = 4;
    o.template_path = path;
    page = render_opt(&o, &rc);
    CHECK_STR(page, "First &lt;h1&gt;|Ann,Bo &quot;B&quot;|ja|<b>&</b>|[1][2][3]|noteconv "
                    NC_VERSION_STRING "\n<h1>First &lt;h1&gt;</h1>\n<p>body</p>\n");
    free(page);

    /* a broken template and a missing one are errors naming the file */
    f = fopen(path, "w");
    fputs("ok\n$if(title)$ never closed\n", f);
    fclose(f);
    page = render_opt(&o, &rc);
    CHECK(rc == -1);
    CHECK(strstr(page, path) != NULL && strstr(page, ":2:1: error:") != NULL);
    free(page);
    remove(path);
    page = render_opt(&o, &rc);
    CHECK(rc == -1);
    CHECK(strstr(page, path) != NULL);
    free(page);
}

int main(void)
{
    escaping();
    blocks();
    lists();
    pandoc_kinds();
    tables();
    footnotes();
    figure_notes();
    deep();
    standalone();
    nc_doc_free(doc);
    return check_done();
}
