/* fuzz_epub.c — libFuzzer target: Markdown with front matter through the epub writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", "epub");
}
