/* fuzz_tojson.c — libFuzzer target: Markdown with front matter through the json writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "markdown", "json");
}
