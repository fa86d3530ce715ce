/* fuzz_html.c — libFuzzer target: Markdown with front matter through the html writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", "html");
}
