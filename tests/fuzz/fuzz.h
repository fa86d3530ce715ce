/* fuzz.h — the one driver every libFuzzer target shares: bytes -> a reader -> the default
 * filters -> a writer, through the library API as the CLI uses it. It must never print. */
#ifndef NC_FUZZ_H
#define NC_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "noteconv/noteconv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Converts one input; writer NULL stops after the filters. A few options follow the input's
 * length, so that the fuzzer also reaches the standalone page and the table of contents
 * without a format of its own for options. Failing with a diagnostic is fine; what the fuzzer
 * looks for is a crash, a leak, undefined behaviour or a hang. */
static inline int nc_fuzz_convert(const uint8_t *data, size_t size, const char *reader_name,
                                  const char *writer_name)
{
    const nc_reader *reader = nc_reader_find(reader_name);
    const nc_writer *writer = writer_name ? nc_writer_find(writer_name) : NULL;
    if (!reader || (writer_name && !writer))
        abort(); /* a target names a format that is not registered: a build mistake */
    nc_options opt;
    nc_options_init(&opt);
    opt.standalone = size & 1;
    opt.toc = size & 2;
    opt.target = writer_name ? writer_name : "html";
    /* the input is not NUL-terminated for the reader, as a mapped file would not be */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    nc_diag *diag = nc_diag_new();
    nc_doc *doc = nc_doc_new();
    nc_chain *chain = nc_chain_new();
    if (reader->read(doc, copy, size, "fuzz.md", &opt, diag) == 0 &&
        nc_chain_run(chain, doc, &opt, diag) == 0 && writer) {
        nc_buf out = NC_BUF_INIT;
        writer->render(doc, &opt, &out, diag);
        nc_buf_free(&out);
    }
    /* every diagnostic must format, whatever bytes it quotes */
    nc_buf msg = NC_BUF_INIT;
    for (size_t i = 0; i < nc_diag_size(diag); i++)
        nc_diag_format(nc_diag_get(diag, i), &msg);
    nc_buf_free(&msg);
    nc_chain_free(chain);
    nc_doc_free(doc);
    nc_diag_free(diag);
    free(copy);
    return 0;
}

#endif
