/* test_hugo.c — the hugo-shortcodes filter: every place the reader leaves a shortcode (text,
 * text split by raw HTML and autolinks, raw blocks), every shortcode it knows, positions, and
 * malformed or unknown shortcodes, which must stay text with a warning and never crash. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util.h"
#include "internal.h"

static nc_diag *dg;
static nc_buf out;

/* The document of s after the filter ran (with args). */
static nc_doc *conv_args(const char *s, const char *args, int *rc)
{
    nc_diag_free(dg);
    dg = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_options opt;
    nc_options_init(&opt);
    CHECK(nc_reader_find("markdown")->read(doc, s, strlen(s), "t.md", &opt, dg) == 0);
    *rc = nc_filter_find("hugo-shortcodes")->run(doc, args, &opt, dg);
    return doc;
}

static nc_doc *conv(const char *s)
{
    int rc;
    nc_doc *doc = conv_args(s, NULL, &rc);
    CHECK(rc == 0);
    return doc;
}

/* A compact picture of the tree: Kind"text"<url|title>{.class k=v}[children]. */
static const char *dump(const nc_doc *doc)
{
    nc_buf_clear(&out);
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (n->kind == NC_DOCUMENT)
            continue;
        if (ev == NC_EV_EXIT) {
            if (n->first)
                nc_buf_putc(&out, ']');
            continue;
        }
        if (out.len && out.ptr[out.len - 1] != '[')
            nc_buf_putc(&out, ' ');
        nc_buf_puts(&out, nc_kind_name(n->kind));
        if (n->text)
            nc_buf_printf(&out, "\"%s\"", n->text);
        if (n->url)
            nc_buf_printf(&out, "<%s%s%s>", n->url, n->title ? "|" : "", n->title ? n->title : "");
        if (n->attr) {
            nc_buf_putc(&out, '{');
            for (size_t i = 0; i < n->attr->nclasses; i++)
                nc_buf_printf(&out, "%s.%s", i ? " " : "", n->attr->classes[i]);
            for (size_t i = 0; i < n->attr->nkv; i++)
                nc_buf_printf(&out, "%s%s=%s", i || n->attr->nclasses ? " " : "",
                              n->attr->keys[i], n->attr->values[i]);
            nc_buf_putc(&out, '}');
        }
        if (n->first)
            nc_buf_putc(&out, '[');
    }
    return nc_buf_cstr(&out);
}

/* dump() of s after the filter, with the document freed. */
static const char *filtered(const char *s)
{
    nc_doc *doc = conv(s);
    dump(doc);
    nc_doc_free(doc);
    return nc_buf_cstr(&out);
}

/* A warning at line:col (0: any) whose message contains part. */
static bool warned(uint32_t line, uint32_t col, const char *part)
{
    for (size_t i = 0; i < nc_diag_size(dg); i++) {
        const nc_diag_entry *e = nc_diag_get(dg, i);
        if (e->level == NC_DIAG_WARNING && (!line || e->line == line) &&
            (!col || e->col == col) && strstr(e->message, part) && e->file &&
            strcmp(e->file, "t.md") == 0)
            return true;
    }
    return false;
}

static size_t warnings(void)
{
    return nc_diag_count(dg, NC_DIAG_WARNING);
}

static void test_filter_entry(void)
{
    const nc_filter *f = nc_filter_find("hugo-shortcodes");
    CHECK(f != NULL);
    CHECK(f && f->default_on);
    CHECK(f && strcmp(f->args_help, "") == 0);
    int rc;
    nc_doc *doc = conv_args("a", "x=1", &rc);
    CHECK(rc == -1);
    CHECK(nc_diag_count(dg, NC_DIAG_ERROR) == 1);
    nc_doc_free(doc);
    doc = conv_args("a", "", &rc);
    CHECK(rc == 0);
    nc_doc_free(doc);

    /* on by default; --no-filter keeps the text */
    const char *md = "{{< x user=\"u\" id=\"1\" >}}\n";
    nc_options opt;
    nc_options_init(&opt);
    doc = nc_doc_new();
    nc_reader_find("markdown")->read(doc, md, strlen(md), "t.md", &opt, dg);
    nc_chain *ch = nc_chain_new();
    CHECK(nc_chain_run(ch, doc, &opt, dg) == 0);
    CHECK_STR(dump(doc), "Para[Link<https://x.com/u/status/1>[Str\"Post by @u\"]]");
    nc_chain_free(ch);
    nc_doc_free(doc);
    doc = nc_doc_new();
    nc_reader_find("markdown")->read(doc, md, strlen(md), "t.md", &opt, dg);
    ch = nc_chain_new();
    CHECK(nc_chain_disable(ch, "hugo-shortcodes", dg) == 0);
    CHECK(nc_chain_run(ch, doc, &opt, dg) == 0);
    CHECK_STR(dump(doc), "Para[Str\"{{< x user=\"u\" id=\"1\" >}}\"]");
    nc_chain_free(ch);
    nc_doc_free(doc);
}

static void test_figure_block(void)
{
    /* a paragraph of only a figure is a pandoc figure; the caption is the title */
    CHECK_STR(filtered("{{< figure src=\"../a.jpg\" title=\"乾杯！\" class=\"center\" "
                       "width=\"640\" >}}\n"),
              "Figure[Caption[Plain[Str\"乾杯！\"]] Plain[Image<../a.jpg|乾杯！>{.center "
              "width=640}[Str\"乾杯！\"]]]");
    /* no title or caption: no caption; an empty title counts as none, as in Hugo */
    CHECK_STR(filtered("{{< figure src=\"a.png\" title=\"\" >}}\n"),
              "Figure[Plain[Image<a.png>]]");
    /* title and caption both: a line break between; attr with attrlink links the credit;
       alt wins */
    CHECK_STR(filtered("{{< figure src=\"a.png\" title=\"T\" caption=\"C\" alt=\"A\" "
                       "attr=\"by me\" attrlink=\"https://me\" height=\"50\" "
                       "class=\"one two\" >}}\n"),
              "Figure[Caption[Plain[Str\"T\" LineBreak Str\"C\" Space Link<https://me>[Str\"by "
              "me\"]]] Plain[Image<a.png|T>{.one .two height=50}[Str\"A\"]]]");
    /* alt falls back on caption before title */
    CHECK_STR(filtered("{{< figure src=\"a.png\" title=\"T\" caption=\"C\" >}}\n"),
              "Figure[Caption[Plain[Str\"T\" LineBreak Str\"C\"]] "
              "Plain[Image<a.png|T>[Str\"C\"]]]");
    /* link= wraps the image */
    CHECK_STR(filtered("{{< figure src=\"a.png\" link=\"https://big\" target=\"_blank\" >}}\n"),
              "Figure[Plain[Link<https://big>{target=_blank}[Image<a.png>]]]");
    /* the raw-HTML form in a tight list item, indented with white space around */
    CHECK_STR(filtered("* {{<figure src=\"../a.jpg\">}}\n* b\n"),
              "BulletList[ListItem[Figure[Plain[Image<../a.jpg>]]] ListItem[Plain[Str\"b\"]]]");
    /* in a block quote too; not in a table cell or a heading */
    CHECK_STR(filtered("> {{% figure src=a.png %}}\n"),
              "BlockQuote[Figure[Plain[Image<a.png>]]]");
    CHECK_STR(filtered("| h |\n|---|\n| {{< figure src=\"a.png\" >}} |\n"),
              "Table[TableHead[Row[Cell[Plain[Str\"h\"]]]] TableBody[Row[Cell[Plain["
              "Image<a.png>]]]]]");
    CHECK_STR(filtered("# {{< figure src=\"a.png\" >}}\n"), "Header[Image<a.png>]");
}

static void test_figure_inline(void)
{
    /* with text around it, a figure is an image in the paragraph */
    nc_doc *doc = conv("text\n{{< figure src=\"a.png\" title=\"t t\" >}}\nmore "
                       "{{<figure src=\"x.png\" title=\"a b\">}} end\n");
    CHECK_STR(dump(doc), "Para[Str\"text\" SoftBreak Image<a.png|t t>[Str\"t t\"] SoftBreak "
                         "Str\"more \" Image<x.png|a b>[Str\"a b\"] Str\" end\"]");
    nc_node *img = nth(doc, NC_IMAGE, 0);
    CHECK(img && img->pos.line == 2 && img->pos.col == 1);
    CHECK(img && img->first && img->first->pos.line == 2);
    img = nth(doc, NC_IMAGE, 1);
    CHECK(img && img->pos.line == 3 && img->pos.col == 6);
    nc_node *end = img ? img->next : NULL;
    CHECK(end && end->kind == NC_STR && end->pos.line == 3 && end->pos.col == 42);
    CHECK(warnings() == 0);
    nc_doc_free(doc);

    /* cmark-gfm autolinks the URL inside src="..."; the shortcode is whole again */
    CHECK_STR(filtered("see {{< figure src=\"https://example.com/a.png\" >}} here\n"),
              "Para[Str\"see \" Image<https://example.com/a.png> Str\" here\"]");
    CHECK_STR(filtered("see {{< figure src=https://example.com/a.png >}} and www.b.org\n"),
              "Para[Str\"see \" Image<https://example.com/a.png> Str\" and \" "
              "Link<http://www.b.org>[Str\"www.b.org\"]]");
    /* a shortcode over several lines */
    CHECK_STR(filtered("{{< figure\n  src=\"a.png\"\n  title=\"t\" >}} x\n"),
              "Para[Image<a.png|t>[Str\"t\"] Str\" x\"]");
    /* quoting: '', unquoted, escapes, spaces around '=', self-closing. Markdown takes one
       backslash of the text's escapes before the filter sees it, so \\" reaches it as \" */
    CHECK_STR(filtered("a {{< figure src='a b.png' alt='it\\\\'s' title=\"x \\\\\"y\\\\\"\" "
                       "width = 10 />}}\n"),
              "Para[Str\"a \" Image<a b.png|x \"y\">{width=10}[Str\"it's\"]]");
    /* `` is Markdown's code span in text, but raw in HTML blocks, as in Hugo */
    CHECK_STR(filtered("<div>\n{{< figure src=`a\\\"b.png` >}}\n</div>\n"),
              "RawBlock\"<div>\" Figure[Plain[Image<a\\\"b.png>]] RawBlock\"</div>\"");
    /* in a link, the image is not linked again */
    CHECK_STR(filtered("[{{< figure src=\"a.png\" link=\"b\" >}}](https://c)\n"),
              "Para[Link<https://c>[Image<a.png>]]");
}

static void test_raw_block(void)
{
    /* an HTML block holding a shortcode alone on its line: raw, figure, raw */
    nc_doc *doc = conv("<div>\n{{< figure src=\"z.png\" >}}\n</div>\n");
    CHECK_STR(dump(doc), "RawBlock\"<div>\" Figure[Plain[Image<z.png>]] RawBlock\"</div>\"");
    nc_node *fig = nth(doc, NC_FIGURE, 0);
    CHECK(fig && fig->pos.line == 2 && fig->pos.col == 1);
    nc_node *raw = nth(doc, NC_RAW_BLOCK, 1);
    CHECK(raw && raw->pos.line == 3 && raw->format && strcmp(raw->format, "html") == 0);
    nc_doc_free(doc);
    /* inside a line of HTML: a Plain between the pieces */
    CHECK_STR(filtered("<p>a {{< x user=\"u\" id=\"9\" >}} b</p>\n"),
              "RawBlock\"<p>a\" Plain[Link<https://x.com/u/status/9>[Str\"Post by @u\"]] "
              "RawBlock\"b</p>\"");
    /* commented out, it stays hidden: in a raw block and as a raw inline */
    CHECK_STR(filtered("<!-- {{< x user=\"u\" id=\"2\" >}} -->\n"),
              "RawBlock\"<!-- {{< x user=\"u\" id=\"2\" >}} -->\"");
    CHECK_STR(filtered("a <!-- {{< x user=\"u\" id=\"2\" >}} --> b\n"),
              "Para[Str\"a \" RawInline\"<!-- {{< x user=\"u\" id=\"2\" >}} -->\" Str\" b\"]");
    CHECK(warnings() == 0);
    /* an unknown one in raw HTML becomes text, so its '<' is not a tag */
    CHECK_STR(filtered("<div>\n{{<gist u 1>}}\n</div>\n"),
              "RawBlock\"<div>\" Plain[Str\"{{<gist u 1>}}\"] RawBlock\"</div>\"");
    CHECK(warned(2, 1, "'gist'"));
}

static void test_links(void)
{
    nc_doc *doc = conv("## t\n\n  {{< x user=\"umemak8\" id=\"1200347955196133377\" >}}\n");
    CHECK_STR(dump(doc), "Header[Str\"t\"] Para[Link<https://x.com/umemak8/status/"
                         "1200347955196133377>[Str\"Post by @umemak8\"]]");
    nc_node *l = nth(doc, NC_LINK, 0);
    CHECK(l && l->pos.line == 3 && l->pos.col == 3);
    CHECK(l && l->first && l->first->pos.line == 3 && l->first->pos.col == 3);
    nc_doc_free(doc);
    CHECK_STR(filtered("{{< tweet user=\"a\" id=\"2\" >}} {{< tweet 3 >}}\n"),
              "Para[Link<https://x.com/a/status/2>[Str\"Post by @a\"] Str\" \" "
              "Link<https://x.com/i/status/3>[Str\"Post on X\"]]");
    CHECK_STR(filtered("{{< youtube w7Ft2ymGmfc >}}, {{< youtube id=\"abc\" title=\"Talk\" >}}"
                       " {{< youtube id=z />}}\n"),
              "Para[Link<https://www.youtube.com/watch?v=w7Ft2ymGmfc>[Str\"YouTube: "
              "w7Ft2ymGmfc\"] Str\", \" Link<https://www.youtube.com/watch?v=abc>[Str\"Talk\"] "
              "Str\" \" Link<https://www.youtube.com/watch?v=z>[Str\"YouTube: z\"]]");
    CHECK_STR(filtered("see {{< ref \"posts/a.md\" >}} and {{< relref path=\"b.md#x\" >}}\n"),
              "Para[Str\"see \" Link<posts/a.md>[Str\"posts/a.md\"] Str\" and \" "
              "Link<b.md#x>[Str\"b.md#x\"]]");
    /* as a Markdown link's target, which cmark-gfm leaves as text: the brackets' inlines
       become the link's */
    doc = conv("[see]({{< ref \"a.md\" >}}) and [**x** y]({{< relref \"b.md\" >}}).\n");
    CHECK_STR(dump(doc), "Para[Link<a.md>[Str\"see\"] Str\" and \" Link<b.md>[Strong[Str\"x\"] "
                         "Str\" y\"] Str\".\"]");
    l = nth(doc, NC_LINK, 1);
    CHECK(l && l->pos.line == 1 && l->pos.col == 41);
    l = nth(doc, NC_LINK, 0);
    CHECK(l && l->next && l->next->pos.col == 26); /* " and " after the ')' */
    nc_doc_free(doc);
    /* inside a link, no link in a link: the text only */
    CHECK_STR(filtered("[a {{< x user=\"u\" id=\"1\" >}}](https://b)\n"),
              "Para[Link<https://b>[Str\"a \" Str\"Post by @u\"]]");
    /* code is not touched */
    CHECK_STR(filtered("`{{< x user=\"u\" id=\"1\" >}}`\n\n    {{< x user=\"u\" id=\"1\" >}}\n"),
              "Para[Code\"{{< x user=\"u\" id=\"1\" >}}\"] CodeBlock\"{{< x user=\"u\" "
              "id=\"1\" >}}\"");
    CHECK(warnings() == 0);
}

static void test_unknown(void)
{
    /* plain text stays as the reader made it, with a warning at the shortcode */
    nc_doc *doc = conv("intro\n\nab {{< gist user 123 >}} cd\n");
    CHECK_STR(dump(doc), "Para[Str\"intro\"] Para[Str\"ab {{< gist user 123 >}} cd\"]");
    CHECK(warned(3, 4, "unknown Hugo shortcode 'gist' kept as text"));
    CHECK(warnings() == 1);
    nc_doc_free(doc);
    /* split by a raw HTML tag, it becomes one Str, so that the tag is not written as HTML */
    doc = conv("a {{<highlight go>}}x{{</highlight>}}\n");
    CHECK_STR(dump(doc), "Para[Str\"a \" Str\"{{<highlight go>}}\" Str\"x\" "
                         "Str\"{{</highlight>}}\"]");
    CHECK(warned(1, 3, "'highlight'"));
    CHECK(warnings() == 1); /* the closing one is not warned about again */
    nc_node *s = nth(doc, NC_STR, 2);
    CHECK(s && s->pos.line == 1 && s->pos.col == 21);
    nc_doc_free(doc);
    /* a closing form of a shortcode that takes no content */
    CHECK_STR(filtered("{{< /figure >}}\n"), "Para[Str\"{{< /figure >}}\"]");
    CHECK(warned(1, 1, "'/figure'"));
    /* Hugo's commented form shows the shortcode itself */
    CHECK_STR(filtered("use {{</* figure src=\"a.png\" */>}} here\n\n{{%/* x */%}}\n"),
              "Para[Str\"use \" Str\"{{< figure src=\"a.png\" >}}\" Str\" here\"] "
              "Para[Str\"{{% x %}}\"]");
    CHECK(warnings() == 0);
}

static void test_malformed(void)
{
    static const struct {
        const char *md, *warning;
    } cases[] = {
        {"a {{< figure src=\"a.png\"\n", "unterminated"},
        {"a {{< figure src=\"a.png >}} b\n", "unterminated"},
        {"a {{<figure src=\"a.png\">}\n", "unterminated"},
        {"a {{< figure src=a {{< zz\n", "not closed before the next"},
        {"a {{< figure src=a {{< zz\n", "unterminated"},
        {"a {{< figure src=\"a.png\" %}}\n", "closed with '%}}'"},
        {"a {{<>}}\n", "no name"},
        {"a {{< \"q\" >}}\n", "no name"},
        {"a {{< fig\"ure >}}\n", "no name may hold"},
        {"a {{< figure src= >}}\n", "with no value"},
        {"a {{< figure =x >}}\n", "no name before"},
        {"a {{< /figure x >}}\n", "arguments on a closing"},
        {"a {{</* figure >}}\n", "comment mark"},
        {"a {{< figure src=\"a*b*c\" >}}\n", "Markdown formatting"},
        {"a {{< figure src=\"a`b`c\" >}}\n", "Markdown formatting"},
        {"a {{< figure title=\"t\" >}}\n", "without src"},
        {"a {{< x user=\"u\" >}}\n", "without id"},
        {"a {{< youtube >}}\n", "without an id"},
        {"a {{< ref >}}\n", "without a path"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the text stays as the reader made it */
        nc_doc *plain = nc_doc_new();
        nc_options opt;
        nc_options_init(&opt);
        nc_reader_find("markdown")->read(plain, cases[i].md, strlen(cases[i].md), "t.md",
                                         &opt, dg);
        nc_buf want = NC_BUF_INIT;
        nc_buf_puts(&want, dump(plain));
        nc_doc *doc = conv(cases[i].md);
        CHECK_STR(dump(doc), nc_buf_cstr(&want));
        if (!warned(1, 0, cases[i].warning))
            fprintf(stderr, "no warning \"%s\" for %s", cases[i].warning, cases[i].md);
        CHECK(warned(1, 0, cases[i].warning));
        nc_buf_free(&want);
        nc_doc_free(plain);
        nc_doc_free(doc);
    }
    /* after a malformed one, the next is still found */
    CHECK_STR(filtered("{{< figure src= >}} {{< youtube q >}}\n"),
              "Para[Str\"{{< figure src= >}} \" Link<https://www.youtube.com/watch?v=q>["
              "Str\"YouTube: q\"]]");
    CHECK(warnings() == 1);
}

/* Many openers, or an open quote, cost linear time, not quadratic. */
static void test_pathological(void)
{
    nc_buf md = NC_BUF_INIT;
    for (int i = 0; i < 50000; i++)
        nc_buf_puts(&md, "{{< ");
    nc_buf_puts(&md, "\n\n{{< x a=\"");
    for (int i = 0; i < 50000; i++)
        nc_buf_puts(&md, "{{< y >}} ");
    nc_buf_puts(&md, "\n\n");
    for (int i = 0; i < 20000; i++)
        nc_buf_puts(&md, "{{<figure src=\"a.png\">}}\n");
    nc_buf_puts(&md, "\n");
    for (int i = 0; i < 20000; i++)
        nc_buf_puts(&md, "{{< x user=u id=1 >}} [t]({{< ref a.md >}}) ");
    clock_t t0 = clock();
    nc_doc *doc = conv(nc_buf_cstr(&md));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 20);
    int images = 0, links = 0;
    for (nc_node *n = nth(doc, NC_IMAGE, 0); n; n = n->next ? n->next->next : NULL)
        images++;
    CHECK(images == 20000);
    for (nc_node *n = nth(doc, NC_LINK, 0); n; n = n->next)
        links += n->kind == NC_LINK;
    CHECK(links == 40000);
    nc_node *last = nth(doc, NC_LINK, 39999);
    /* the last ref: 44 bytes a repeat, its "{{<" 26 bytes into the last one */
    CHECK(last && last->pos.line == 20006 && last->pos.col == 1 + 19999 * 44 + 26);
    /* warnings past a hundred are summed up in one */
    CHECK(warnings() == 101);
    CHECK(warned(0, 0, "more Hugo shortcode warnings left out") == false); /* no position */
    nc_doc_free(doc);
    nc_buf_free(&md);
}

int main(void)
{
    dg = nc_diag_new();
    test_filter_entry();
    test_figure_block();
    test_figure_inline();
    test_raw_block();
    test_links();
    test_unknown();
    test_malformed();
    test_pathological();
    nc_diag_free(dg);
    nc_buf_free(&out);
    return check_done();
}
