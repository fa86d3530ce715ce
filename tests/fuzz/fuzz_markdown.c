/* fuzz_markdown.c — libFuzzer target: the Markdown reader with YAML/TOML front matter and the
 * default filters, no writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", NULL);
}
