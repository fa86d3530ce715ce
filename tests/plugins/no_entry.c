/* no_entry.c — a shared object without noteconv's entry point: noteconv must refuse it. */
#include <noteconv/filter.h>

NC_FILTER_PLUGIN_EXPORT int not_a_filter(void);
NC_FILTER_PLUGIN_EXPORT int not_a_filter(void)
{
    return 42;
}
