/* cmark_ref.c — the reference renderer for the corpus test and the benchmark: cmark-gfm's own
 * HTML for a file, with the extensions and options noteconv uses (Debian's cmark-gfm command
 * cannot turn footnotes on). Usage: cmark_ref [FILE] (stdin without FILE). */
#include <stdio.h>
#include <stdlib.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

int main(int argc, char **argv)
{
    FILE *in = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    cmark_gfm_core_extensions_ensure_registered();
    int opts = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES;
    cmark_parser *p = cmark_parser_new(opts);
    const char *names[] = {"table", "strikethrough", "autolink", "tasklist"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(names[i]));
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        cmark_parser_feed(p, buf, n);
    if (in != stdin)
        fclose(in);
    cmark_node *doc = cmark_parser_finish(p);
    char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
    fputs(html, stdout);
    free(html);
    cmark_node_free(doc);
    cmark_parser_free(p);
    return 0;
}
