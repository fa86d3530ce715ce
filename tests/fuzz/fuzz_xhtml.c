/* fuzz_xhtml.c — libFuzzer target: Markdown with front matter through the xhtml writer, and
 * a differential check: the body read by the own reader of the HTML writer's output
 * (xhtml_own.c) must be byte for byte the body read by libxml2; abort() if not. */
#include "fuzz.h"
#include "writer/xhtml.h"

static void differential(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return;
    if (size)
        memcpy(copy, data, size);
    nc_options opt;
    nc_options_init(&opt);
    opt.target = "xhtml";
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_chain *chain = nc_chain_new();
    if (nc_reader_find("markdown")->read(doc, copy, size, "fuzz.md", &opt, diag) == 0 &&
        nc_chain_run(chain, doc, &opt, diag) == 0) {
        bool book = size & 4;
        nc_xhtml a = {.book = book}, b = {.book = book, .libxml2 = true};
        nc_buf oa = NC_BUF_INIT, ob = NC_BUF_INIT;
        int ra = nc_xhtml_body(doc, nc_doc_root(doc), &opt, &a, &oa, diag);
        int rb = nc_xhtml_body(doc, nc_doc_root(doc), &opt, &b, &ob, diag);
        if (ra != rb || oa.len != ob.len || (oa.len && memcmp(oa.ptr, ob.ptr, oa.len)) ||
            a.nheads != b.nheads)
            abort();
        for (size_t i = 0; i < a.nheads; i++)
            if (a.heads[i].level != b.heads[i].level || strcmp(a.heads[i].id, b.heads[i].id) ||
                strcmp(a.heads[i].text, b.heads[i].text))
                abort();
        nc_buf_free(&oa);
        nc_buf_free(&ob);
        nc_xhtml_free(&a);
        nc_xhtml_free(&b);
    }
    nc_chain_free(chain);
    nc_doc_free(doc);
    nc_diag_free(diag);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nc_fuzz_convert(data, size, "markdown", "xhtml");
    differential(data, size);
    return 0;
}
