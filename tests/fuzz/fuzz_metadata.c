/* fuzz_metadata.c — libFuzzer target: a --metadata-file (YAML) merged into a document. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_read_metadata_file(doc, (const char *)data, size, "fuzz.yaml", diag);
    nc_buf text = NC_BUF_INIT;
    nc_meta_text(nc_doc_meta(doc), &text);
    nc_buf_free(&text);
    nc_doc_free(doc);
    nc_diag_free(diag);
    return 0;
}
