/* test_template.c — the template engine: every construct, pandoc's lone-directive newline rule,
 * and syntax errors reported as name:line:col. Contexts are built by hand. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "noteconv/noteconv.h"

static nc_doc *doc;
static nc_meta *ctx;

static nc_meta *str(const char *s)
{
    return nc_meta_new_string(doc, s, strlen(s));
}

static nc_meta *list(const char *a, const char *b, const char *c)
{
    nc_meta *l = nc_meta_new(doc, NC_META_LIST);
    const char *items[] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (items[i])
            nc_meta_push(doc, l, str(items[i]));
    return l;
}

/* Renders tpl against ctx; "ERROR: file:line:col: error: msg" when it does not parse. */
static char *run(const char *tpl)
{
    nc_diag *d = nc_diag_new();
    nc_buf out = NC_BUF_INIT;
    nc_template *t = nc_template_parse(tpl, strlen(tpl), "t.html", d);
    if (t) {
        nc_template_render(t, ctx, &out);
        nc_template_free(t);
        if (nc_diag_count(d, NC_DIAG_ERROR))
            nc_buf_puts(&out, "<unexpected error>");
    } else {
        nc_buf_puts(&out, "ERROR: ");
        if (nc_diag_size(d))
            nc_diag_format(nc_diag_get(d, 0), &out);
    }
    nc_diag_free(d);
    char *s = nc_xstrdup(nc_buf_cstr(&out));
    nc_buf_free(&out);
    return s;
}

#define T(tpl, want)                                                                  \
    do {                                                                              \
        char *got_ = run(tpl);                                                        \
        CHECK_STR(got_, want);                                                        \
        free(got_);                                                                   \
    } while (0)

static void setup(void)
{
    doc = nc_doc_new();
    ctx = nc_doc_meta(doc);
    nc_meta_set(doc, ctx, "title", str("Hello & <you>"));
    nc_meta_set(doc, ctx, "empty", str(""));
    nc_meta_set(doc, ctx, "nl", str("line\n"));
    nc_meta_set(doc, ctx, "tags", list("a", "b", "c"));
    nc_meta_set(doc, ctx, "none", nc_meta_new(doc, NC_META_LIST));
    nc_meta *yes = nc_meta_new(doc, NC_META_BOOL);
    yes->b = true;
    nc_meta *no = nc_meta_new(doc, NC_META_BOOL);
    nc_meta_set(doc, ctx, "yes", yes);
    nc_meta_set(doc, ctx, "no", no);
    nc_meta *num = nc_meta_new(doc, NC_META_NUMBER);
    num->str = "42";
    num->len = 2;
    num->num = 42;
    nc_meta_set(doc, ctx, "num", num);

    nc_meta *author = nc_meta_new(doc, NC_META_MAP);
    nc_meta_set(doc, author, "name", str("Ann"));
    nc_meta *aff = nc_meta_new(doc, NC_META_MAP);
    nc_meta_set(doc, aff, "city", str("Kyoto"));
    nc_meta_set(doc, author, "aff", aff);
    nc_meta_set(doc, ctx, "author", author);

    nc_meta *people = nc_meta_new(doc, NC_META_LIST);
    const char *names[] = {"Bo", "Cy"};
    for (int i = 0; i < 2; i++) {
        nc_meta *p = nc_meta_new(doc, NC_META_MAP);
        nc_meta_set(doc, p, "name", str(names[i]));
        nc_meta_set(doc, p, "langs", list(i ? "ja" : "en", i ? NULL : "fr", NULL));
        nc_meta_push(doc, people, p);
    }
    nc_meta_set(doc, ctx, "people", people);
}

static void variables(void)
{
    T("plain text", "plain text");
    T("", "");
    T("<$title$>", "<Hello & <you>>"); /* not escaped: the writer's context is */
    T("${title}", "Hello & <you>");
    T("${ title }", "Hello & <you>");
    T("[$missing$]", "[]");
    T("$author.name$ in $author.aff.city$", "Ann in Kyoto");
    T("${author.aff.city}", "Kyoto");
    T("[$author.nope.deeper$]", "[]");
    T("$tags$", "abc"); /* a list concatenates */
    T("$author$", "true"); /* a map says true, as in pandoc */
    T("[$yes$][$no$]", "[true][]");
    T("$num$", "42");
    T("[$nl$]", "[line]"); /* one final newline is dropped */
    T("cost: $$5", "cost: $5");
    T("$$$title$$$", "$Hello & <you>$");
    T("a$-- a comment\nb", "ab");
    T("a $-- comment at the end", "a ");
    T("$it$", "");
    T("${people.name}", ""); /* fields of a list are not looked up */
}

static void pipes(void)
{
    T("$title/uppercase$", "HELLO & <YOU>");
    T("$title/lowercase$", "hello & <you>");
    T("$tags/length$ $none/length$ $missing/length$", "3 0 0");
    T("$author/length$", "2");
    T("$title/length$", "13");
    T("$tags/first$$tags/last$", "ac");
    T("$tags/first/uppercase$", "A");
    T("${people/first/length}", "2");
    T("$if(none/length)$yes$endif$", "yes"); /* "0" is a non-empty string */
}

static void conditionals(void)
{
    T("$if(title)$T$endif$", "T");
    T("$if(missing)$T$else$F$endif$", "F");
    T("$if(empty)$T$else$F$endif$", "F");
    T("$if(none)$T$else$F$endif$", "F");
    T("$if(no)$T$else$F$endif$", "F");
    T("$if(yes)$T$else$F$endif$", "T");
    T("$if(author.aff.city)$$author.aff.city$$endif$", "Kyoto");
    T("$if(missing)$1$elseif(empty)$2$elseif(tags)$3$else$4$endif$", "3");
    T("$if(missing)$1$elseif(empty)$2$else$4$endif$", "4");
    T("$if(missing)$1$elseif(empty)$2$endif$", "");
    T("${if(title)}yes${else}no${endif}", "yes");
    T("$if(title)$a$if(missing)$b$else$c$if(yes)$d$endif$$endif$e$endif$", "acde");
    /* an $else$ branch that opens with an $if$ is not an $elseif$ */
    T("$if(missing)$1$else$$if(missing)$2$endif$3$endif$", "3");
}

static void loops(void)
{
    T("$for(tags)$<$tags$>$endfor$", "<a><b><c>");
    T("$for(tags)$$it$$sep$, $endfor$", "a, b, c");
    T("${for(tags)}${tags}${sep}|${endfor}", "a|b|c");
    T("$for(none)$x$sep$,$endfor$", "");
    T("$for(missing)$x$endfor$", "");
    T("$for(title)$[$title$|$it$]$endfor$", "[Hello & <you>|Hello & <you>]");
    T("$for(author)$$author.name$/$it.aff.city$$endfor$", "Ann/Kyoto");
    T("$for(people)$$people.name$:$for(people.langs)$$people.langs$$sep$+$endfor$$sep$; "
      "$endfor$",
      "Bo:en+fr; Cy:ja");
    T("$for(people)$$it.name$$for(it.langs)$($it$)$endfor$$endfor$", "Bo(en)(fr)Cy(ja)");
    T("$for(tags)$$if(it)$$tags/uppercase$$endif$$endfor$", "ABC");
    T("$for(tags)$$title/length$$endfor$", "131313"); /* outer variables stay visible */
}

static void lines(void)
{
    /* a directive alone on its line takes the line, its indentation and newline with it */
    T("a\n$if(title)$\nb\n$endif$\nc\n", "a\nb\nc\n");
    T("a\n  $if(missing)$  \nb\n  $else$\nB\n$endif$\nc\n", "a\nB\nc\n");
    T("<ul>\n$for(tags)$\n<li>$tags$</li>\n$endfor$\n</ul>\n",
      "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>\n");
    T("$for(tags)$\n$tags$\n$sep$\n--\n$endfor$\n", "a\n--\nb\n--\nc\n");
    /* not alone: the text around it stays */
    T("x $if(title)$y$endif$\nz", "x y\nz");
    T("$if(title)$y$endif$ \nz", "y \nz");
    T("$if(title)$\r\nwin\r\n$endif$\r\n", "win\r\n");
    T("$endif$", "ERROR: t.html:1:1: error: $endif$ without $if$ in template");
    /* a variable alone on its line keeps the line */
    T("a\n$title$\nb", "a\nHello & <you>\nb");
    T("last\n$if(yes)$", "ERROR: t.html:2:1: error: $if(yes)$ is never closed by $endif$");
    T("$if(yes)$\nend\n$endif$", "end\n");
}

static void errors(void)
{
    T("ab\ncd $if(title)$ x", "ERROR: t.html:2:4: error: $if(title)$ is never closed by $endif$");
    T("$for(tags)$\n\n  $if(x)$$endfor$",
      "ERROR: t.html:3:10: error: $endfor$ without $for$ in template");
    T("x\n\ty $endfor$", "ERROR: t.html:2:4: error: $endfor$ without $for$ in template");
    T("$else$", "ERROR: t.html:1:1: error: $else$ without $if$ in template");
    T("$if(a)$$else$$else$$endif$", "ERROR: t.html:1:14: error: $else$ without $if$ in template");
    T("$if(a)$$else$$elseif(b)$$endif$",
      "ERROR: t.html:1:14: error: $elseif$ without $if$ in template");
    T("$sep$", "ERROR: t.html:1:1: error: $sep$ outside $for$ in template");
    T("$for(a)$$sep$$sep$$endfor$", "ERROR: t.html:1:14: error: $sep$ outside $for$ in template");
    T("$for(a)$ $endif$", "ERROR: t.html:1:10: error: $endif$ without $if$ in template");
    T("line\n$title", "ERROR: t.html:2:1: error: unterminated '$title' in template (a '$' must "
                      "close it; write $$ for a literal dollar sign)");
    T("${title", "ERROR: t.html:1:1: error: unterminated '${title' in template (a '$' must "
                 "close it; write $$ for a literal dollar sign)");
    T("costs $5", "ERROR: t.html:1:7: error: '$' starts no variable or directive in template "
                  "(write $$ for a literal dollar sign)");
    T("end $", "ERROR: t.html:1:5: error: '$' starts no variable or directive in template "
               "(write $$ for a literal dollar sign)");
    T("$title/shout$", "ERROR: t.html:1:8: error: unknown template pipe 'shout' (supported: "
                       "uppercase, lowercase, length, first, last)");
    T("$if(title$", "ERROR: t.html:1:10: error: expected ')' in template");
    T("$if()$", "ERROR: t.html:1:5: error: expected a variable name in template");
    T("${ styles.html() }",
      "ERROR: t.html:1:1: error: template partials ('styles.html()') are not supported");
    T("$a.$", "ERROR: t.html:1:1: error: unterminated '$a' in template (a '$' must close it; "
              "write $$ for a literal dollar sign)");

    /* deep but legal nesting parses; absurd nesting is refused, not a stack overflow */
    nc_buf deep = NC_BUF_INIT;
    for (int i = 0; i < 150; i++)
        nc_buf_puts(&deep, "$if(yes)$");
    nc_buf_puts(&deep, "x");
    for (int i = 0; i < 150; i++)
        nc_buf_puts(&deep, "$endif$");
    T(nc_buf_cstr(&deep), "x");
    nc_buf_clear(&deep);
    for (int i = 0; i < 100000; i++)
        nc_buf_puts(&deep, "$for(tags)$");
    char *got = run(nc_buf_cstr(&deep));
    CHECK(strstr(got, "nested too deeply") != NULL);
    free(got);
    nc_buf_free(&deep);

    /* NULL diag and name are allowed */
    CHECK(nc_template_parse("$if(x)$", 7, NULL, NULL) == NULL);
    nc_template_free(NULL);
}

int main(void)
{
    setup();
    variables();
    pipes();
    conditionals();
    loops();
    lines();
    errors();
    nc_doc_free(doc);
    return check_done();
}
