/* wrong_abi.c — a plugin built for a future filter ABI: noteconv must refuse it without calling
 * its run function (which would fail the test by writing to the output). */
#include <noteconv/filter.h>

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    (void)args;
    (void)opt;
    nc_diag_report(diag, NC_DIAG_WARNING, NULL, "wrong-abi plugin ran");
    nc_meta_set(doc, nc_doc_meta(doc), "title", nc_meta_new_string(doc, "RAN", 3));
    return 0;
}

static const nc_filter_plugin plugin = {
    NC_FILTER_ABI_VERSION + 1, "wrong-abi", "refused", "", run,
};

NC_FILTER_PLUGIN_EXPORT const nc_filter_plugin *nc_filter_plugin_entry(void)
{
    return &plugin;
}
