/* test_reader.c — the Markdown reader: input hygiene, YAML/TOML front matter, the conversion
 * of cmark-gfm's tree (lists, tasks, tables, footnotes, positions) and the depth limits. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"
#include "internal.h"

static nc_diag *dg;

static int readn(nc_doc *doc, const char *s, size_t len, const nc_options *opt)
{
    nc_options def;
    nc_options_init(&def);
    return nc_reader_markdown.read(doc, s, len, "t.md", opt ? opt : &def, dg);
}

/* A fresh document and diagnostics for s; *rc gets the reader's result. */
static nc_doc *rd(const char *s, int *rc)
{
    nc_diag_free(dg);
    dg = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    *rc = readn(doc, s, strlen(s), NULL);
    return doc;
}

static int count(const nc_node *root, nc_kind kind)
{
    int k = 0;
    nc_iter it;
    nc_iter_init(&it, (nc_node *)root);
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE)
        if (ev == NC_EV_ENTER && nc_iter_node(&it)->kind == kind)
            k++;
    return k;
}

static int nkids(const nc_node *n)
{
    int k = 0;
    for (const nc_node *c = n ? n->first : NULL; c; c = c->next)
        k++;
    return k;
}

/* A diagnostic of this level at line:col (0 = any) whose message contains part. */
static bool has(nc_diag_level level, uint32_t line, uint32_t col, const char *part)
{
    for (size_t i = 0; i < nc_diag_size(dg); i++) {
        const nc_diag_entry *e = nc_diag_get(dg, i);
        if (e->level == level && (!line || e->line == line) && (!col || e->col == col) &&
            strstr(e->message, part) && e->file && strcmp(e->file, "t.md") == 0)
            return true;
    }
    return false;
}

static void dump(void)
{
    for (size_t i = 0; i < nc_diag_size(dg); i++) {
        nc_buf b = NC_BUF_INIT;
        nc_diag_format(nc_diag_get(dg, i), &b);
        fprintf(stderr, "  diag: %s\n", nc_buf_cstr(&b));
        nc_buf_free(&b);
    }
}

static const char *str(const nc_meta *m)
{
    return m && (m->kind == NC_META_STRING || m->kind == NC_META_NUMBER) ? m->str : NULL;
}

static void test_yaml(void)
{
    int rc;
    nc_doc *doc = rd("---\n"
                     "title: \"Hello: world\"\n"
                     "date: 2019-10-04\n"
                     "tags: [event, \"aws\"]\n"
                     "draft: false\n"
                     "pub: True\n"
                     "weight: 10\n"
                     "ratio: -1.5e1\n"
                     "quoted: '42'\n"
                     "author:\n"
                     "  name: umemak\n"
                     "  links:\n"
                     "    - a\n"
                     "    - b\n"
                     "nothing:\n"
                     "tilde: ~\n"
                     "---\n"
                     "\n"
                     "# Head\n",
                     &rc);
    CHECK(rc == 0);
    nc_meta *m = nc_doc_meta(doc);
    CHECK_STR(str(nc_meta_get(m, "title")), "Hello: world");
    CHECK_STR(str(nc_meta_get(m, "date")), "2019-10-04");
    CHECK(nc_meta_get(m, "date")->kind == NC_META_STRING);
    nc_meta *tags = nc_meta_get(m, "tags");
    CHECK(tags && tags->kind == NC_META_LIST && tags->n == 2);
    if (tags && tags->n == 2) {
        CHECK_STR(str(tags->items[0]), "event");
        CHECK_STR(str(tags->items[1]), "aws");
    }
    nc_meta *draft = nc_meta_get(m, "draft");
    CHECK(draft && draft->kind == NC_META_BOOL && !draft->b);
    CHECK(nc_meta_get(m, "pub") && nc_meta_get(m, "pub")->b);
    nc_meta *w = nc_meta_get(m, "weight");
    CHECK(w && w->kind == NC_META_NUMBER && w->num == 10);
    CHECK_STR(str(w), "10");
    CHECK(nc_meta_get(m, "ratio") && nc_meta_get(m, "ratio")->num == -15);
    CHECK(nc_meta_get(m, "quoted") && nc_meta_get(m, "quoted")->kind == NC_META_STRING);
    CHECK_STR(str(nc_meta_lookup(m, "author.name")), "umemak");
    nc_meta *links = nc_meta_lookup(m, "author.links");
    CHECK(links && links->kind == NC_META_LIST && links->n == 2);
    CHECK(!nc_meta_get(m, "nothing") && !nc_meta_get(m, "tilde"));
    /* a value's position is where its text starts: after the quote of a quoted scalar */
    CHECK(nc_meta_get(m, "title")->pos.line == 2 && nc_meta_get(m, "title")->pos.col == 9);
    CHECK(nc_meta_get(m, "draft")->pos.col == 8);
    /* the body's positions are the real file's */
    nc_node *h = nth(doc, NC_HEADER, 0);
    CHECK(h && h->level == 1 && h->pos.line == 19 && h->pos.col == 1);
    CHECK(h && h->pos.file && strcmp(h->pos.file, "t.md") == 0);
    CHECK(nc_diag_size(dg) == 0);
    CHECK_STR(nc_doc_path(doc), "t.md");
    nc_doc_free(doc);

    /* empty front matter, and "..." closing it */
    doc = rd("---\n---\ntext\n", &rc);
    CHECK(rc == 0 && nc_doc_meta(doc)->n == 0);
    CHECK(nth(doc, NC_PARA, 0) && nth(doc, NC_PARA, 0)->pos.line == 3);
    nc_doc_free(doc);
    doc = rd("---\ntitle: x\n...\ntext\n", &rc);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "title")), "x");
    nc_doc_free(doc);

    /* "---" then a blank line is a thematic break, not front matter */
    doc = rd("---\n\ntext\n", &rc);
    CHECK(rc == 0 && nth(doc, NC_HORIZONTAL_RULE, 0) != NULL);
    nc_doc_free(doc);
}

static void test_yaml_errors(void)
{
    int rc;
    nc_doc *doc = rd("---\ntitle: x\n\nbody\n", &rc);
    CHECK(rc == -1);
    CHECK(has(NC_DIAG_ERROR, 1, 1, "never closed"));
    CHECK(nc_doc_root(doc)->first == NULL);
    nc_doc_free(doc);

    doc = rd("text\n", &rc);
    nc_doc_free(doc);
    doc = rd("---\n- a\n- b\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 1, "not a mapping"));
    nc_doc_free(doc);
    doc = rd("---\njust words\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 1, "not a mapping"));
    nc_doc_free(doc);

    /* libyaml's position, moved to the file's line */
    doc = rd("---\ntitle: x\nbad: a: b\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 3, 7, "invalid YAML"));
    if (!has(NC_DIAG_ERROR, 3, 7, "invalid YAML"))
        dump();
    nc_doc_free(doc);

    doc = rd("---\na:\n\tb: 1\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 3, 0, "tab"));
    nc_doc_free(doc);

    doc = rd("---\na: 1\nb: 2\na: 3\n---\n", &rc);
    CHECK(rc == 0 && has(NC_DIAG_WARNING, 4, 1, "duplicate key 'a'"));
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "a")), "3");
    nc_doc_free(doc);

    /* small anchors work; a billion laughs does not */
    doc = rd("---\nbase: &b {x: 1, y: [p, q]}\nother: *b\nname: &n hi\nagain: *n\n---\n", &rc);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_lookup(nc_doc_meta(doc), "other.x")), "1");
    CHECK(nc_meta_lookup(nc_doc_meta(doc), "other.y") &&
          nc_meta_lookup(nc_doc_meta(doc), "other.y")->n == 2);
    CHECK(nc_meta_get(nc_doc_meta(doc), "other") != nc_meta_get(nc_doc_meta(doc), "base"));
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "again")), "hi");
    nc_doc_free(doc);

    doc = rd("---\n"
             "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
             "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
             "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
             "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
             "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
             "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
             "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
             "---\n",
             &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 0, 0, "expands to more than"));
    nc_doc_free(doc);

    nc_buf wide = NC_BUF_INIT;
    nc_buf_puts(&wide, "---\n");
    for (int i = 0; i < 1001; i++)
        nc_buf_printf(&wide, "k%d: v\n", i);
    nc_buf_puts(&wide, "---\n");
    doc = rd(nc_buf_cstr(&wide), &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1002, 1, "more than 1000 keys"));
    nc_doc_free(doc);
    nc_buf_free(&wide);

    doc = rd("---\na: *nope\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 4, "alias *nope"));
    nc_doc_free(doc);
    doc = rd("---\na: &x [1, *x]\n---\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 0, "alias *x"));
    nc_doc_free(doc);
}

static void test_toml(void)
{
    int rc;
    nc_doc *doc = rd("+++\n"
                     "author = \"umemak\"\n"
                     "date = \"2019-08-04\"\n"
                     "title = 'C:\\path' # literal\n"
                     "esc = \"tab\\there \\u00e9\"\n"
                     "tags = [\"go\",\n"
                     "  \"c\", # a comment\n"
                     "]\n"
                     "draft = true\n"
                     "count = 1_000\n"
                     "pi = 3.14\n"
                     "when = 1979-05-27T07:32:00Z\n"
                     "site.name = \"blog\"\n"
                     "\n"
                     "[params]\n"
                     "x.y = 3\n"
                     "[[menu]]\n"
                     "name = \"a\"\n"
                     "[[menu]]\n"
                     "name = \"b\"\n"
                     "+++\n"
                     "\n"
                     "* item\n",
                     &rc);
    CHECK(rc == 0);
    if (rc)
        dump();
    nc_meta *m = nc_doc_meta(doc);
    CHECK_STR(str(nc_meta_get(m, "author")), "umemak");
    CHECK_STR(str(nc_meta_get(m, "date")), "2019-08-04");
    CHECK_STR(str(nc_meta_get(m, "title")), "C:\\path");
    CHECK_STR(str(nc_meta_get(m, "esc")), "tab\there \xC3\xA9");
    nc_meta *tags = nc_meta_get(m, "tags");
    CHECK(tags && tags->kind == NC_META_LIST && tags->n == 2);
    CHECK(nc_meta_get(m, "draft") && nc_meta_get(m, "draft")->kind == NC_META_BOOL &&
          nc_meta_get(m, "draft")->b);
    CHECK(nc_meta_get(m, "count") && nc_meta_get(m, "count")->num == 1000);
    CHECK_STR(str(nc_meta_get(m, "count")), "1_000");
    CHECK(nc_meta_get(m, "pi") && nc_meta_get(m, "pi")->kind == NC_META_NUMBER);
    CHECK_STR(str(nc_meta_get(m, "when")), "1979-05-27T07:32:00Z");
    CHECK_STR(str(nc_meta_lookup(m, "site.name")), "blog");
    CHECK_STR(str(nc_meta_lookup(m, "params.x.y")), "3");
    nc_meta *menu = nc_meta_get(m, "menu");
    CHECK(menu && menu->kind == NC_META_LIST && menu->n == 2);
    if (menu && menu->n == 2)
        CHECK_STR(str(nc_meta_get(menu->items[1], "name")), "b");
    nc_node *list = nth(doc, NC_BULLET_LIST, 0);
    CHECK(list && list->pos.line == 23);
    nc_doc_free(doc);

    doc = rd("+++\ntitle = \"x\"\ndraft = yes\n+++\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 3, 9, "not a TOML value"));
    nc_doc_free(doc);
    doc = rd("+++\ntags = [\"a\",\n\"b\"\n+++\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 8, "array opened here"));
    nc_doc_free(doc);
    doc = rd("+++\nx = 1\ns = \"\"\"\nab\n+++\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 3, 5, "string opened here"));
    nc_doc_free(doc);
    doc = rd("+++\ntitle = \"x\" junk\n+++\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 2, 13, "end of the line"));
    nc_doc_free(doc);
    doc = rd("+++\ntitle = \"x\"\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1, 1, "never closed"));
    nc_doc_free(doc);
    /* "+++" then text, unclosed: front matter missing its end, an error as for "---"; but a
       lone "+++" (then a blank line or nothing) that nothing closes is Markdown, as cmark-gfm
       reads it */
    doc = rd("+++\nsome text\n", &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1, 1, "never closed"));
    nc_doc_free(doc);
    const char *lone[] = {"+++", "+++\n", "+++  \n\ntext\n"};
    for (size_t i = 0; i < 3; i++) {
        doc = rd(lone[i], &rc);
        CHECK(rc == 0 && nc_diag_size(dg) == 0 && nc_doc_meta(doc)->n == 0);
        nc_node *s0 = nth(doc, NC_STR, 0);
        CHECK(s0 && s0->text[0] == '+' && s0->pos.line == 1);
        nc_doc_free(doc);
    }
    /* closed, it is front matter even after a blank line */
    doc = rd("+++\n\nx = 1\n+++\ntext\n", &rc);
    CHECK(rc == 0 && nc_meta_get(nc_doc_meta(doc), "x") != NULL);
    CHECK(nth(doc, NC_PARA, 0) && nth(doc, NC_PARA, 0)->pos.line == 5);
    nc_doc_free(doc);
    doc = rd("+++\ns = \"\"\"\nab \\\n   cd\n\"e\"\"\"\"\nl = '''x\\y'''\n+++\n", &rc);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "s")), "ab cd\n\"e\"");
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "l")), "x\\y");
    nc_doc_free(doc);
    doc = rd("+++\na = 1\na = 2\n+++\n", &rc);
    CHECK(rc == 0 && has(NC_DIAG_WARNING, 3, 1, "duplicate key 'a'"));
    nc_doc_free(doc);
}

static void test_hygiene(void)
{
    int rc;
    /* CRLF everywhere, front matter included */
    nc_doc *doc = rd("---\r\ntitle: crlf\r\n---\r\n\r\npara one\r\nstill\r\n\r\n## H\r\n", &rc);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "title")), "crlf");
    nc_node *p = nth(doc, NC_PARA, 0);
    CHECK(p && p->pos.line == 5);
    CHECK(nth(doc, NC_SOFT_BREAK, 0) != NULL);
    CHECK_STR(nth(doc, NC_STR, 0) ? nth(doc, NC_STR, 0)->text : NULL, "para one");
    CHECK(nth(doc, NC_HEADER, 0) && nth(doc, NC_HEADER, 0)->pos.line == 8);
    nc_doc_free(doc);

    /* a BOM is skipped, but columns on line 1 still count its bytes */
    doc = rd("\xEF\xBB\xBF# Title\n\ntext\n", &rc);
    CHECK(rc == 0);
    nc_node *h = nth(doc, NC_HEADER, 0);
    CHECK(h && h->pos.line == 1 && h->pos.col == 4);
    CHECK_STR(nth(doc, NC_STR, 0) ? nth(doc, NC_STR, 0)->text : NULL, "Title");
    nc_doc_free(doc);
    doc = rd("\xEF\xBB\xBF---\ntitle: b\n---\nx\n", &rc);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "title")), "b");
    nc_doc_free(doc);

    /* invalid UTF-8: replaced, one warning for the line, at the first bad byte */
    doc = rd("ok\nab\xFF" "cd\xC3\n", &rc);
    CHECK(rc == 0);
    CHECK(has(NC_DIAG_WARNING, 2, 3, "invalid UTF-8"));
    CHECK(nc_diag_count(dg, NC_DIAG_WARNING) == 1);
    nc_node *s = nth(doc, NC_STR, 0);
    CHECK_STR(s ? s->text : NULL, "ok");
    s = nth(doc, NC_STR, 1);
    CHECK_STR(s ? s->text : NULL, "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD");
    nc_doc_free(doc);

    /* NUL bytes, which strlen cannot carry */
    nc_diag_free(dg);
    dg = nc_diag_new();
    doc = nc_doc_new();
    static const char nul[] = "x\0y\n";
    rc = readn(doc, nul, sizeof nul - 1, NULL);
    CHECK(rc == 0 && has(NC_DIAG_WARNING, 1, 2, "NUL"));
    s = nth(doc, NC_STR, 0);
    CHECK_STR(s ? s->text : NULL, "x\xEF\xBF\xBDy");
    nc_doc_free(doc);

    /* invalid bytes inside front matter are repaired before libyaml sees them */
    doc = rd("---\ntitle: a\xFF\n---\n", &rc);
    CHECK(rc == 0 && has(NC_DIAG_WARNING, 2, 9, "invalid UTF-8"));
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "title")), "a\xEF\xBF\xBD");
    nc_doc_free(doc);

    /* the size limit */
    nc_options o;
    nc_options_init(&o);
    o.max_input_size = 10;
    nc_diag_free(dg);
    dg = nc_diag_new();
    doc = nc_doc_new();
    rc = readn(doc, "0123456789A", 11, &o);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 0, 0, "input is 11 bytes, over the limit of 10"));
    nc_doc_free(doc);
}

static void test_blocks(void)
{
    int rc;
    nc_doc *doc = rd("- a\n- b\n\n1. x\n\n2. y\n\n3) z\n\n- [ ] open\n- [x] done\n- plain\n", &rc);
    CHECK(rc == 0);
    nc_node *bl = nth(doc, NC_BULLET_LIST, 0);
    CHECK(bl && nkids(bl) == 2 && bl->first->first && bl->first->first->kind == NC_PLAIN);
    nc_node *ol = nth(doc, NC_ORDERED_LIST, 0);
    CHECK(ol && ol->start == 1 && ol->delim == NC_DELIM_PERIOD && ol->style == NC_LIST_DECIMAL);
    CHECK(ol && ol->first->first && ol->first->first->kind == NC_PARA);
    nc_node *ol2 = nth(doc, NC_ORDERED_LIST, 1);
    CHECK(ol2 && ol2->start == 3 && ol2->delim == NC_DELIM_ONE_PAREN);
    nc_node *tl = nth(doc, NC_BULLET_LIST, 1);
    CHECK(tl && nkids(tl) == 3);
    if (tl && nkids(tl) == 3) {
        CHECK(tl->first->task == NC_TASK_OPEN);
        CHECK(tl->first->next->task == NC_TASK_DONE);
        CHECK(tl->last->task == NC_TASK_NONE);
        CHECK_STR(tl->first->first->first ? tl->first->first->first->text : NULL, "open");
        CHECK(tl->pos.line == 10 && tl->first->next->pos.line == 11);
    }
    nc_doc_free(doc);

    doc = rd("```c  extra words\nint x;\n```\n\n<div>\nraw\n</div>\n\n***\n\n> quote\n\n"
             "A [link](http://x.y) and ![alt *e*](i.png \"T\") `co de` <b>b</b> ~~gone~~ "
             "www.example.com  \nnext\n",
             &rc);
    CHECK(rc == 0);
    nc_node *cb = nth(doc, NC_CODE_BLOCK, 0);
    CHECK(cb && cb->attr && cb->attr->nclasses == 1);
    CHECK(cb && nc_node_has_class(cb, "c"));
    CHECK_STR(cb ? cb->text : NULL, "int x;");
    nc_node *raw = nth(doc, NC_RAW_BLOCK, 0);
    CHECK(raw && raw->format && strcmp(raw->format, "html") == 0);
    CHECK_STR(raw ? raw->text : NULL, "<div>\nraw\n</div>");
    CHECK(nth(doc, NC_HORIZONTAL_RULE, 0) != NULL);
    CHECK(nth(doc, NC_BLOCK_QUOTE, 0) && nth(doc, NC_BLOCK_QUOTE, 0)->pos.line == 11);
    nc_node *a = nth(doc, NC_LINK, 0);
    CHECK_STR(a ? a->url : NULL, "http://x.y");
    CHECK(a && a->title == NULL);
    nc_node *img = nth(doc, NC_IMAGE, 0);
    CHECK_STR(img ? img->title : NULL, "T");
    CHECK(img && img->first && nth(doc, NC_EMPH, 0) && nth(doc, NC_EMPH, 0)->parent == img);
    CHECK_STR(nth(doc, NC_CODE, 0) ? nth(doc, NC_CODE, 0)->text : NULL, "co de");
    CHECK(count(nc_doc_root(doc), NC_RAW_INLINE) == 2);
    CHECK(nth(doc, NC_STRIKEOUT, 0) != NULL);
    nc_node *auto_link = nth(doc, NC_LINK, 1);
    CHECK_STR(auto_link ? auto_link->url : NULL, "http://www.example.com");
    CHECK(nth(doc, NC_LINE_BREAK, 0) != NULL);
    /* every node has a position in the file */
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    int unplaced = 0;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (ev == NC_EV_ENTER && n->kind != NC_DOCUMENT && (!n->pos.line || !n->pos.file))
            unplaced++;
    }
    CHECK(unplaced == 0);
    nc_doc_free(doc);
}

/* Code blocks keep pandoc's text (no final newline), but one blank line must stay apart
 * from an empty block: a block of only blank lines keeps all its newlines. */
static void test_code_text(void)
{
    static const char *const cases[][2] = {
        {"```\n```\n", ""},
        {"```\n\n```\n", "\n"},
        {"```\n\n\n```\n", "\n\n"},
        {"```\nx\n```\n", "x"},
        {"```\nx\n\n```\n", "x\n"},
        {"```\n\nx\n```\n", "\nx"},
        {"```\n \n```\n", " "},
        {"    a\n\n    b\n", "a\n\nb"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        nc_doc *doc = rd(cases[i][0], &rc);
        nc_node *cb = nth(doc, NC_CODE_BLOCK, 0);
        CHECK(rc == 0 && cb);
        CHECK_STR(cb ? cb->text : NULL, cases[i][1]);
        CHECK(cb && cb->len == strlen(cases[i][1]));
        nc_doc_free(doc);
    }
}

static void test_table(void)
{
    int rc;
    nc_doc *doc = rd("| a | b | c |\n|:--|--:|:-:|\n| 1 |\n| 1 | 2 | 3 | 4 |\n|  | *x* | |\n",
                     &rc);
    CHECK(rc == 0);
    nc_node *t = nth(doc, NC_TABLE, 0);
    CHECK(t && t->ncols == 3);
    if (!t || t->ncols != 3) {
        nc_doc_free(doc);
        return;
    }
    CHECK(t->cols[0].align == NC_ALIGN_LEFT && t->cols[1].align == NC_ALIGN_RIGHT &&
          t->cols[2].align == NC_ALIGN_CENTER);
    CHECK(nkids(t) == 2 && t->first->kind == NC_TABLE_HEAD && t->last->kind == NC_TABLE_BODY);
    CHECK(nkids(t->first) == 1 && nkids(t->first->first) == 3);
    CHECK(nkids(t->last) == 3);
    for (nc_node *row = t->last->first; row; row = row->next) {
        CHECK(row->kind == NC_TABLE_ROW && nkids(row) == 3);
        int k = 0;
        for (nc_node *cell = row->first; cell; cell = cell->next, k++)
            CHECK(cell->kind == NC_TABLE_CELL && cell->align == t->cols[k].align);
    }
    nc_node *short_row = t->last->first;
    CHECK(short_row->first->first && short_row->first->first->kind == NC_PLAIN);
    CHECK(short_row->last->first == NULL); /* padded: empty, no Plain */
    nc_node *blank_row = t->last->last;
    CHECK(blank_row->first->first == NULL);
    CHECK(blank_row->first->next->first && nth(doc, NC_EMPH, 0) &&
          nth(doc, NC_EMPH, 0)->parent == blank_row->first->next->first);
    nc_doc_free(doc);
}

static void test_footnotes(void)
{
    int rc;
    nc_doc *doc = rd("Hi[^a] and again[^A] b[^b] none[^zz].\n"
                     "\n"
                     "[^a]: Note *A*.\n"
                     "\n"
                     "    Second para.\n"
                     "[^b]: B[^a]\n"
                     "[^unused]: U\n",
                     &rc);
    CHECK(rc == 0);
    nc_node *root = nc_doc_root(doc);
    CHECK(nkids(root) == 1 && root->first->kind == NC_PARA);
    CHECK(count(root, NC_NOTE) == 4); /* three references, and [^a] inside [^b] */
    nc_node *n1 = nth(doc, NC_NOTE, 0), *n2 = nth(doc, NC_NOTE, 1), *n3 = nth(doc, NC_NOTE, 2);
    if (!n1 || !n2 || !n3) {
        nc_doc_free(doc);
        return;
    }
    CHECK(n1->parent == root->first);
    CHECK_STR(n1->label, "a");
    CHECK_STR(n2->label, "a");
    CHECK_STR(n3->label, "b");
    CHECK(nkids(n1) == 2 && n1->first->kind == NC_PARA && n1->last->kind == NC_PARA);
    CHECK(nkids(n2) == 2 && n2->first != n1->first);
    CHECK(count(n2, NC_EMPH) == 1);
    CHECK(n1->pos.line == 1 && n1->pos.col == 3);
    CHECK(n1->first->pos.line == 3);
    /* a reference inside a note is a note inside the note, with its own copy */
    CHECK(count(n3, NC_NOTE) == 2); /* itself and [^a] */
    nc_node *inner = nth(doc, NC_NOTE, 3);
    CHECK(inner && inner->parent && inner->parent->parent == n3);
    CHECK_STR(inner ? inner->label : NULL, "a");
    CHECK(inner && nkids(inner) == 2 && inner->first != n1->first && count(inner, NC_EMPH) == 1);
    CHECK(inner && inner->pos.line == 6 && inner->pos.col == 8);
    CHECK(nc_diag_size(dg) == 0);
    nc_buf b = NC_BUF_INIT;
    for (nc_node *c = n3->first; c; c = c->next)
        nc_node_text(c, &b);
    CHECK_STR(nc_buf_cstr(&b), "B");
    nc_buf_free(&b);
    nc_node *s = nth(doc, NC_STR, 0);
    CHECK_STR(s ? s->text : NULL, "Hi");
    int unused = 0;
    for (int i = 0; nth(doc, NC_STR, i); i++)
        if (strstr(nth(doc, NC_STR, i)->text, "U") && strlen(nth(doc, NC_STR, i)->text) == 1)
            unused++;
    CHECK(unused == 0);
    /* each reference gets a copy, but a short input cannot ask for a huge document */
    nc_buf big = NC_BUF_INIT;
    nc_buf_puts(&big, "x");
    for (int i = 0; i < 2000; i++)
        nc_buf_puts(&big, "[^n]");
    nc_buf_puts(&big, "\n\n[^n]:");
    for (int i = 0; i < 300; i++)
        nc_buf_puts(&big, " *w*");
    nc_buf_puts(&big, "\n");
    nc_doc *bomb = rd(nc_buf_cstr(&big), &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1, 0, "referenced too often"));
    nc_doc_free(bomb);
    nc_buf_free(&big);

    int kept = 0;
    for (int i = 0; nth(doc, NC_STR, i); i++)
        if (strstr(nth(doc, NC_STR, i)->text, "[^zz]"))
            kept++;
    CHECK(kept == 1);
    nc_doc_free(doc);
}

/* The plain text of the blocks of a note. */
static void note_text(const nc_node *note, nc_buf *b)
{
    nc_buf_clear(b);
    for (nc_node *c = note ? note->first : NULL; c; c = c->next)
        nc_node_text(c, b);
}

static void test_nested_footnotes(void)
{
    /* notes inside notes, as deep as they go; only a reference that would put a note inside
       itself (itself, or through others) stays text, with a warning */
    int rc;
    nc_doc *doc = rd("X[^a] Y[^c]\n"
                     "\n"
                     "[^a]: A[^b].\n"
                     "[^b]: B[^c][^d].\n"
                     "[^c]: C.\n"
                     "[^d]: D[^d] and [^a].\n",
                     &rc);
    CHECK(rc == 0);
    nc_node *root = nc_doc_root(doc);
    CHECK(nkids(root) == 1);
    nc_node *a = nth(doc, NC_NOTE, 0);
    CHECK_STR(a ? a->label : NULL, "a");
    nc_buf b = NC_BUF_INIT;
    note_text(a, &b);
    CHECK_STR(nc_buf_cstr(&b), "A.");
    /* a > b > (c, d): d's own references would each close a loop */
    nc_node *nb = nth(doc, NC_NOTE, 1), *nc = nth(doc, NC_NOTE, 2), *nd = nth(doc, NC_NOTE, 3);
    CHECK_STR(nb ? nb->label : NULL, "b");
    CHECK_STR(nc ? nc->label : NULL, "c");
    CHECK_STR(nd ? nd->label : NULL, "d");
    CHECK(nb && nc && nd && nc->parent->parent == nb && nd->parent->parent == nb);
    note_text(nd, &b);
    CHECK_STR(nc_buf_cstr(&b), "D[^d] and [^a].");
    CHECK(nd && count(nd, NC_NOTE) == 1);
    CHECK(has(NC_DIAG_WARNING, 6, 8, "[^d] would contain itself"));
    CHECK(has(NC_DIAG_WARNING, 6, 17, "[^a] would contain itself"));
    CHECK(nc_diag_count(dg, NC_DIAG_WARNING) == 2);
    /* the body's [^c] has a copy of what [^b]'s [^c] has */
    nc_node *c2 = nth(doc, NC_NOTE, 4);
    CHECK_STR(c2 ? c2->label : NULL, "c");
    CHECK(c2 && c2->parent == root->first && c2->first != nc->first);
    note_text(c2, &b);
    CHECK_STR(nc_buf_cstr(&b), "C.");
    CHECK(count(root, NC_NOTE) == 5);
    nc_buf_free(&b);
    nc_doc_free(doc);

    /* two references a definition deep double the copies: the budget stops the growth */
    nc_buf in = NC_BUF_INIT;
    nc_buf_puts(&in, "x[^n0]\n\n");
    for (int i = 0; i < 40; i++)
        nc_buf_printf(&in, "[^n%d]: *w*[^n%d][^n%d]\n", i, i + 1, i + 1);
    nc_buf_puts(&in, "[^n40]: end\n");
    doc = rd(nc_buf_cstr(&in), &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 0, 0, "referenced too often"));
    nc_doc_free(doc);

    /* many references back to the note they are in: each is refused at no cost to the others */
    nc_buf_clear(&in);
    nc_buf_puts(&in, "x[^s]\n\n[^s]: ");
    for (int i = 0; i < 50000; i++)
        nc_buf_puts(&in, "[^s]");
    nc_buf_puts(&in, "\n");
    doc = rd(nc_buf_cstr(&in), &rc);
    CHECK(rc == 0 && count(nc_doc_root(doc), NC_NOTE) == 1);
    CHECK(nc_diag_count(dg, NC_DIAG_WARNING) == 50000);
    nc_doc_free(doc);

    /* a long chain of notes is as deep as the nesting it makes */
    nc_buf_clear(&in);
    nc_buf_puts(&in, "x[^n0]\n\n");
    for (int i = 0; i < 600; i++)
        nc_buf_printf(&in, "[^n%d]: w[^n%d]\n", i, i + 1);
    doc = rd(nc_buf_cstr(&in), &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 0, 0, "nesting deeper than 1000 levels"));
    nc_doc_free(doc);
    nc_buf_free(&in);
}

static void test_depth(void)
{
    int rc;
    size_t deep = 10000;
    nc_buf in = NC_BUF_INIT;
    for (size_t i = 0; i < deep; i++)
        nc_buf_putc(&in, '>');
    nc_buf_puts(&in, " x\n");
    nc_doc *doc = rd(nc_buf_cstr(&in), &rc);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1, 1001, "nesting deeper than 1000 levels"));
    if (rc != -1)
        dump();
    CHECK(nc_doc_root(doc)->first == NULL);
    nc_doc_free(doc);

    nc_options o;
    nc_options_init(&o);
    o.max_depth = 100000;
    nc_diag_free(dg);
    dg = nc_diag_new();
    doc = nc_doc_new();
    rc = readn(doc, in.ptr, in.len, &o);
    CHECK(rc == 0 && count(nc_doc_root(doc), NC_BLOCK_QUOTE) == (int)deep);
    nc_node *copy = nc_node_copy(doc, nc_doc_root(doc));
    CHECK(count(copy, NC_BLOCK_QUOTE) == (int)deep);
    nc_doc_free(doc);

    nc_buf_clear(&in);
    for (size_t i = 0; i < deep; i++)
        nc_buf_puts(&in, "- ");
    nc_buf_puts(&in, "x\n");
    nc_diag_free(dg);
    dg = nc_diag_new();
    doc = nc_doc_new();
    rc = readn(doc, in.ptr, in.len, &o);
    CHECK(rc == 0 && count(nc_doc_root(doc), NC_LIST_ITEM) == (int)deep);
    nc_doc_free(doc);

    /* inlines count too */
    o.max_depth = 3;
    nc_diag_free(dg);
    dg = nc_diag_new();
    doc = nc_doc_new();
    rc = readn(doc, "*a **b [c](u)***\n", 17, &o);
    CHECK(rc == -1 && has(NC_DIAG_ERROR, 1, 0, "nesting deeper than 3 levels"));
    nc_doc_free(doc);
    nc_buf_free(&in);
}

static void test_two_inputs(void)
{
    int rc;
    nc_doc *doc = rd("---\ntitle: First\n---\none\n", &rc);
    CHECK(rc == 0);
    rc = nc_reader_markdown.read(doc, "---\ntitle: Second\nextra: y\n---\ntwo\n", 34, "u.md",
                                 NULL, dg);
    CHECK(rc == 0);
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "title")), "First");
    CHECK_STR(str(nc_meta_get(nc_doc_meta(doc), "extra")), "y");
    CHECK(nkids(nc_doc_root(doc)) == 2);
    nc_node *p2 = nth(doc, NC_PARA, 1);
    CHECK(p2 && p2->pos.line == 5 && strcmp(p2->pos.file, "u.md") == 0);
    CHECK_STR(nc_doc_path(doc), "t.md");
    /* a failing input leaves the document as it was */
    rc = nc_reader_markdown.read(doc, "---\nx: [\n---\nthree\n", 19, "v.md", NULL, dg);
    CHECK(rc == -1 && nkids(nc_doc_root(doc)) == 2 && !nc_meta_get(nc_doc_meta(doc), "x"));
    nc_doc_free(doc);
}

static void test_corpus(void)
{
    const char *src = getenv("NC_SOURCE_DIR");
    if (!src) {
        printf("NC_SOURCE_DIR unset: corpus checks skipped\n");
        return;
    }
    static const char *const notes[] = {"blog/2019/10/04_aws_devday_2.md",
                                         "blog/2019/08/04_golang_ghq.md"};
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        nc_buf path = NC_BUF_INIT;
        nc_buf_printf(&path, "%s/../shared/corpus/%s", src, notes[i]);
        FILE *f = fopen(nc_buf_cstr(&path), "rb");
        if (!f) {
            printf("%s absent: skipped\n", nc_buf_cstr(&path));
            nc_buf_free(&path);
            continue;
        }
        nc_buf data = NC_BUF_INIT;
        char chunk[4096];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
            nc_buf_put(&data, chunk, k);
        fclose(f);
        nc_diag_free(dg);
        dg = nc_diag_new();
        nc_doc *doc = nc_doc_new();
        int rc = nc_reader_markdown.read(doc, data.ptr, data.len, "note.md", NULL, dg);
        CHECK(rc == 0 && nc_diag_size(dg) == 0);
        CHECK(nc_meta_get(nc_doc_meta(doc), "title") != NULL);
        CHECK(nc_meta_get(nc_doc_meta(doc), "tags") &&
              nc_meta_get(nc_doc_meta(doc), "tags")->kind == NC_META_LIST);
        CHECK(nc_doc_root(doc)->first != NULL);
        nc_doc_free(doc);
        nc_buf_free(&data);
        nc_buf_free(&path);
    }
}

int main(void)
{
    test_yaml();
    test_yaml_errors();
    test_toml();
    test_hygiene();
    test_blocks();
    test_code_text();
    test_table();
    test_footnotes();
    test_nested_footnotes();
    test_depth();
    test_two_inputs();
    test_corpus();
    nc_diag_free(dg);
    return check_done();
}
