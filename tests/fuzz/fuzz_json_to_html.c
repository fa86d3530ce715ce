/* fuzz_json_to_html.c — libFuzzer target: pandoc JSON through the reader, then the html writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return nc_fuzz_convert(data, size, "json", "html");
}
