/* failing.c — a plugin whose run fails without saying why: noteconv must still report an error
 * naming it and stop with exit status 5. It also checks that args arrive as written. */
#include <string.h>

#include <noteconv/filter.h>

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    (void)opt;
    if (args && strcmp(args, "ok:key=val,x") == 0) {
        nc_meta_set(doc, nc_doc_meta(doc), "plugin-args",
                    nc_meta_new_string(doc, args, strlen(args)));
        return 0;
    }
    (void)diag;
    return -1;
}

static const nc_filter_plugin plugin = {
    NC_FILTER_ABI_VERSION, "failing", "fails unless its args are ok:key=val,x", "", run,
};

NC_FILTER_PLUGIN_EXPORT const nc_filter_plugin *nc_filter_plugin_entry(void)
{
    return &plugin;
}
