/* fuzz_pdf_layout.c — libFuzzer target: Markdown with front matter through the PDF typesetter's
 * layout, dumped as text (no backend: faster, so it explores the layout engine further). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", "pdf-layout");
}
