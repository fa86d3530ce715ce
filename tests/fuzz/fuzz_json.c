/* fuzz_json.c — a libFuzzer target for the pandoc JSON reader, then the JSON writer on what it
 * read (both must take anything without crashing, leaking or recursing without bound).
 * Build with clang: see the command in README.md, "Pandoc JSON". */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_options opt;
    nc_options_init(&opt);
    if (nc_reader_json.read(doc, (const char *)data, size, "fuzz.json", &opt, diag) ==
        0) {
        nc_buf out = NC_BUF_INIT;
        nc_writer_json.render(doc, &opt, &out, diag);
        nc_buf_free(&out);
    }
    nc_doc_free(doc);
    nc_diag_free(diag);
    return 0;
}
