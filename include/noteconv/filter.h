/* filter.h — the ABI of filter plugins: shared objects that `noteconv -F ./libx.so` loads with
 * dlopen and runs as one step of the filter chain, over the document API of noteconv.h.
 * Nothing here is needed to use the library; only to write a plugin.
 *
 * A plugin defines one function, with C linkage and default visibility:
 *
 *     #include <noteconv/filter.h>
 *     static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
 *     { ... return 0; }
 *     static const nc_filter_plugin plugin = {
 *         NC_FILTER_ABI_VERSION, "name", "what it does", "its arguments, or \"\"", run,
 *     };
 *     NC_FILTER_PLUGIN_EXPORT const nc_filter_plugin *nc_filter_plugin_entry(void)
 *     { return &plugin; }
 *
 * and is built as a shared object that is NOT linked against libnoteconv: the nc_* functions it
 * calls are those of the noteconv program that loads it (which exports them), so that nodes and
 * metadata come from the same allocator and arena as the document's.
 * `cc -shared -fPIC $(pkg-config --cflags noteconv) -o libx.so x.c` is enough.
 *
 * The rules of the ABI:
 * - noteconv refuses a plugin whose abi_version is not NC_FILTER_ABI_VERSION, one without the
 *   entry point, and a file that is not a shared object; it never calls into them.
 * - NC_FILTER_ABI_VERSION changes whenever a plugin built against the old headers could
 *   misbehave: a field of nc_node, nc_meta, nc_attr, nc_pos, nc_diag_entry or nc_filter_plugin
 *   moved, removed or retyped; an nc_kind or nc_meta_kind renumbered; a function of noteconv.h
 *   removed or its signature or meaning changed. Adding a function, or a field at the end of
 *   nc_options (which plugins only read, through the pointer they are given), does not change it.
 * - A plugin keeps no pointer into the document after run returns, allocates nodes and strings
 *   with nc_node_new / nc_doc_alloc / nc_doc_strdup (not malloc) so they go with the document,
 *   and never leaves a pointer to its own constants in it (copy them with nc_doc_strdup): the
 *   plugin may be unloaded before the document is freed. It reports problems through diag
 *   (never prints or exits). run returns 0, or -1 after reporting
 *   an error: noteconv then stops with exit status 5.
 * - run may be called for several documents, also from several threads at once: keep no mutable
 *   state outside the call. */
#ifndef NOTECONV_FILTER_H
#define NOTECONV_FILTER_H

#include "noteconv/noteconv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Version 1: noteconv 0.1. */
#define NC_FILTER_ABI_VERSION 1u

/* The name of the entry point noteconv looks up with dlsym. */
#define NC_FILTER_PLUGIN_ENTRY "nc_filter_plugin_entry"

#if defined(__GNUC__)
#define NC_FILTER_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define NC_FILTER_PLUGIN_EXPORT
#endif

typedef struct nc_filter_plugin {
    uint32_t abi_version;  /* NC_FILTER_ABI_VERSION, as the plugin was built */
    const char *name;      /* shown in diagnostics; [a-z0-9-] by convention */
    const char *summary;   /* one line */
    const char *args_help; /* "" when it takes none */
    /* args: what followed '=' or ':' after the plugin's file name on the command line, or
     * NULL. The same contract as a built-in filter's run (noteconv.h, nc_filter). */
    int (*run)(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag);
} nc_filter_plugin;

/* The type of the entry point. */
typedef const nc_filter_plugin *(*nc_filter_plugin_entry_fn)(void);
/* The entry point a plugin defines (declared here so that its type is checked). noteconv itself
 * never defines it: it finds it in each plugin with dlsym. */
NC_FILTER_PLUGIN_EXPORT const nc_filter_plugin *nc_filter_plugin_entry(void);

/* Does this -F spec name a plugin file rather than a built-in filter? True when its name part
 * holds a '/' or ends in ".so": "./libx.so", "/opt/f/x.so=a,b", "libx.so:key=val". */
bool nc_filter_spec_is_plugin(const char *spec);

#ifdef __cplusplus
}
#endif

#endif
