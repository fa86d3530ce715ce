/* test_outline.c — the outline writer on documents built through the library, which the
 * Markdown reader cannot make: no path, odd heading levels, missing ids and URLs, numbers
 * JSON cannot hold, metadata nested thousands deep, and one heading tree checked in full. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "noteconv/noteconv.h"

static char *render(nc_doc *doc, bool compact)
{
    nc_options opt;
    nc_options_init(&opt);
    nc_kv var = {"compact", "true"};
    if (compact) {
        opt.vars = &var;
        opt.nvars = 1;
    }
    nc_diag *diag = nc_diag_new();
    nc_buf out = NC_BUF_INIT;
    CHECK(nc_writer_find("outline")->render(doc, &opt, &out, diag) == 0);
    CHECK(nc_diag_size(diag) == 0);
    nc_diag_free(diag);
    return nc_buf_detach(&out, NULL);
}

static nc_node *heading(nc_doc *doc, int level, const char *text, uint32_t line)
{
    nc_pos pos = {NULL, line, 1};
    nc_node *h = nc_node_new(doc, NC_HEADER, &pos);
    h->level = level;
    nc_node *s = nc_node_new(doc, NC_STR, &pos);
    nc_node_set_text(doc, s, text, strlen(text));
    nc_node_append(h, s);
    nc_node_append(nc_doc_root(doc), h);
    return h;
}

/* Are the brackets outside strings balanced, and is nothing left open? */
static bool balanced(const char *s)
{
    long depth = 0;
    bool in_str = false;
    for (; *s; s++) {
        if (in_str) {
            if (*s == '\\' && s[1])
                s++;
            else if (*s == '"')
                in_str = false;
        } else if (*s == '"') {
            in_str = true;
        } else if (*s == '{' || *s == '[') {
            depth++;
        } else if (*s == '}' || *s == ']') {
            if (--depth < 0)
                return false;
        }
    }
    return depth == 0 && !in_str;
}

static void tree(void)
{
    nc_doc *doc = nc_doc_new();
    heading(doc, 2, "a", 1);
    heading(doc, 1, "b", 2);
    heading(doc, 4, "c", 3);
    heading(doc, 3, "d", 4);
    heading(doc, 9, "e", 5);  /* clamped to 6 */
    heading(doc, 0, "f", 6);  /* clamped to 1 */
    nc_node_set_id(doc, heading(doc, 2, "g", 7), "g-id");
    char *got = render(doc, true);
    const char *want =
        "{\"outline_version\":1,\"source\":null,\"title\":\"b\",\"lang\":\"en\",\"metadata\":{},"
        "\"headings\":["
        "{\"level\":2,\"text\":\"a\",\"id\":null,\"line\":1,\"children\":[]},"
        "{\"level\":1,\"text\":\"b\",\"id\":null,\"line\":2,\"children\":["
        "{\"level\":4,\"text\":\"c\",\"id\":null,\"line\":3,\"children\":[]},"
        "{\"level\":3,\"text\":\"d\",\"id\":null,\"line\":4,\"children\":["
        "{\"level\":6,\"text\":\"e\",\"id\":null,\"line\":5,\"children\":[]}]}]},"
        "{\"level\":1,\"text\":\"f\",\"id\":null,\"line\":6,\"children\":["
        "{\"level\":2,\"text\":\"g\",\"id\":\"g-id\",\"line\":7,\"children\":[]}]}],"
        "\"links\":[],\"images\":[],\"footnotes\":0,\"code_blocks\":[],"
        "\"stats\":{\"characters\":7,\"characters_no_spaces\":7,\"words\":7,\"latin_words\":7,"
        "\"cjk_characters\":0,\"code_lines\":0,\"reading_time\":{\"minutes\":1,\"seconds\":2},"
        "\"nodes\":{\"Header\":7,\"Str\":7}}}\n";
    CHECK_STR(got, want);
    free(got);
    nc_doc_free(doc);
}

static void odd_nodes(void)
{
    nc_doc *doc = nc_doc_new();
    nc_pos pos = {NULL, 3, 1};
    nc_node *para = nc_node_new(doc, NC_PARA, &pos);
    nc_node_append(nc_doc_root(doc), para);
    nc_node_append(para, nc_node_new(doc, NC_LINK, &pos)); /* no URL, no text */
    nc_node_append(para, nc_node_new(doc, NC_IMAGE, &pos));
    nc_node_append(para, nc_node_new(doc, NC_NOTE, &pos)); /* no label: counted */
    nc_node_append(para, nc_node_new(doc, NC_NOTE, &pos));
    nc_node *code = nc_node_new(doc, NC_CODE_BLOCK, &pos);
    nc_node_add_class(doc, code, "");
    nc_node_append(nc_doc_root(doc), code);
    nc_meta *meta = nc_doc_meta(doc);
    nc_meta *inf = nc_meta_new(doc, NC_META_NUMBER);
    inf->num = INFINITY;
    nc_meta_set(doc, meta, "inf", inf);
    nc_meta *frac = nc_meta_new(doc, NC_META_NUMBER);
    frac->num = 0.1;
    nc_meta_set(doc, meta, "frac", frac);
    nc_meta_set(doc, meta, "k\"ey\n", nc_meta_new_string(doc, "v", 1));
    char *got = render(doc, true);
    CHECK(strstr(got, "\"metadata\":{\"inf\":null,\"frac\":0.1,\"k\\\"ey\\n\":\"v\"}") != NULL);
    CHECK(strstr(got, "\"links\":[{\"target\":\"\",\"text\":\"\",\"title\":\"\","
                      "\"kind\":\"relative\",\"line\":3}]") != NULL);
    CHECK(strstr(got, "\"footnotes\":2") != NULL);
    CHECK(strstr(got, "\"code_blocks\":[{\"language\":null,\"lines\":0,\"line\":3}]") != NULL);
    CHECK(strstr(got, "\"reading_time\":{\"minutes\":0,\"seconds\":0}") != NULL);
    free(got);
    nc_doc_free(doc);
}

/* Indented output grows with the square of the depth, so the indented run is less deep
 * (the reader stops YAML at 1000 levels anyway). */
static void deep_metadata(int depth, bool compact)
{
    nc_doc *doc = nc_doc_new();
    nc_meta *m = nc_doc_meta(doc);
    for (int i = 0; i < depth; i++) {
        nc_meta *next = nc_meta_new(doc, i % 2 ? NC_META_MAP : NC_META_LIST);
        if (m->kind == NC_META_MAP)
            nc_meta_set(doc, m, "k", next);
        else
            nc_meta_push(doc, m, next);
        m = next;
    }
    char *got = render(doc, compact);
    CHECK(balanced(got));
    CHECK(strstr(got, compact ? "[{\"k\":[{\"k\":[" : "[\n") != NULL);
    free(got);
    nc_doc_free(doc);
}

int main(void)
{
    tree();
    odd_nodes();
    deep_metadata(20000, true);
    deep_metadata(1500, false);
    return check_done();
}
