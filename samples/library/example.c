/* example.c — libnoteconv from a program: read a note, run the default filters, write HTML.
 * Build: cc example.c $(pkg-config --cflags --libs noteconv) */
#include <stdio.h>
#include <string.h>

#include <noteconv/noteconv.h>

int main(void)
{
    const char *md = "---\ntitle: Example\n---\n# 見出し\n\nhello *world*\n";
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_options opt;
    nc_options_init(&opt);
    int rc = nc_reader_find("markdown")->read(doc, md, strlen(md), "example.md", &opt, diag);
    nc_chain *chain = nc_chain_new();
    nc_buf out = NC_BUF_INIT;
    if (rc == 0)
        rc = nc_chain_run(chain, doc, &opt, diag);
    if (rc == 0)
        rc = nc_writer_find("html")->render(doc, &opt, &out, diag);
    for (size_t i = 0; i < nc_diag_size(diag); i++) {
        nc_buf line = NC_BUF_INIT;
        nc_diag_format(nc_diag_get(diag, i), &line);
        fprintf(stderr, "%s\n", nc_buf_cstr(&line));
        nc_buf_free(&line);
    }
    fputs(nc_buf_cstr(&out), stdout);
    nc_buf_free(&out);
    nc_chain_free(chain);
    nc_doc_free(doc);
    nc_diag_free(diag);
    return rc == 0 ? 0 : 1;
}
