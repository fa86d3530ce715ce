/* fuzz_pdf.c — libFuzzer target: Markdown with front matter through the pdf writer: the
 * layout and the libharu backend. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", "pdf");
}
