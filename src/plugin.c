/* plugin.c — filter plugins: loads a shared object named on the command line (dlopen), checks
 * its entry point and ABI version (include/noteconv/filter.h) and runs it as a chain step. It
 * refuses what it cannot trust to match, never calls into a refused object, and keeps no
 * state outside the nc_plugin it returns. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "noteconv/filter.h"

struct nc_plugin {
    void *handle;
    const nc_filter_plugin *p;
    char *path;
};

/* The length of the file name part of a plugin spec: up to ".so" that ends it or comes before
 * '=' or ':', else up to the first '=' after the last '/'. */
static size_t path_len(const char *spec)
{
    for (const char *s = strstr(spec, ".so"); s; s = strstr(s + 1, ".so"))
        if (s[3] == '\0' || s[3] == '=' || s[3] == ':')
            return (size_t)(s + 3 - spec);
    const char *slash = strrchr(spec, '/');
    const char *from = slash ? slash : spec;
    return (size_t)(from - spec) + strcspn(from, "=");
}

bool nc_filter_spec_is_plugin(const char *spec)
{
    if (!spec)
        return false;
    size_t n = strcspn(spec, "=:");
    if (memchr(spec, '/', n))
        return true;
    return n >= 3 && strncmp(spec + n - 3, ".so", 3) == 0;
}

/* Is the file an ELF object? dlopen's own message for a text file ("invalid ELF header",
 * "file too short") does not say what the user got wrong. */
static int check_file(const char *path, nc_diag *diag)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s': %s", path,
                       errno == ENOENT ? "file not found" : strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s': not a regular file", path);
        return -1;
    }
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s': cannot read: %s", path,
                       strerror(errno));
        return -1;
    }
    size_t got = fread(magic, 1, sizeof magic, fp);
    fclose(fp);
    if (got != sizeof magic || memcmp(magic, "\177ELF", 4) != 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "plugin '%s' is not a shared object (build it with cc -shared -fPIC)",
                       path);
        return -1;
    }
    return 0;
}

int nc_plugin_open(const char *spec, nc_plugin **out, char **args, nc_diag *diag)
{
    *out = NULL;
    *args = NULL;
    size_t n = path_len(spec);
    /* without a '/', dlopen would search the system's library folders, not the current one */
    nc_buf path = NC_BUF_INIT;
    if (!memchr(spec, '/', n))
        nc_buf_puts(&path, "./");
    nc_buf_put(&path, spec, n);
    const char *file = nc_buf_cstr(&path);
    if (check_file(file, diag) != 0) {
        nc_buf_free(&path);
        return -1;
    }
    /* RTLD_NOW: a plugin that needs a symbol this noteconv lacks fails here, with the name */
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s' cannot be loaded: %s", file,
                       why ? why : "unknown error");
        nc_buf_free(&path);
        return -1;
    }
    void *sym = dlsym(h, NC_FILTER_PLUGIN_ENTRY);
    nc_filter_plugin_entry_fn entry = NULL;
    /* ISO C has no conversion from void * to a function pointer; POSIX guarantees the bytes */
    if (sym)
        memcpy(&entry, &sym, sizeof entry);
    const nc_filter_plugin *p = entry ? entry() : NULL;
    const char *refuse = NULL;
    if (!entry)
        refuse = "has no " NC_FILTER_PLUGIN_ENTRY "() entry point: not a noteconv filter plugin";
    else if (!p)
        refuse = "gave no plugin description (its entry point returned NULL)";
    if (refuse) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s' %s", file, refuse);
    } else if (p->abi_version != NC_FILTER_ABI_VERSION) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "plugin '%s' was built for filter ABI version %u, but this noteconv (%s) "
                       "has version %u: rebuild it against this noteconv's <noteconv/filter.h>",
                       file, (unsigned)p->abi_version, NC_VERSION_STRING,
                       (unsigned)NC_FILTER_ABI_VERSION);
        refuse = "";
    } else if (!p->run || !p->name || !*p->name) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s' has no %s", file,
                       !p->run ? "run function" : "name");
        refuse = "";
    }
    if (refuse) {
        dlclose(h);
        nc_buf_free(&path);
        return -1;
    }
    nc_plugin *pl = nc_xcalloc(1, sizeof *pl);
    pl->handle = h;
    pl->p = p;
    pl->path = nc_buf_detach(&path, NULL);
    *out = pl;
    *args = spec[n] ? nc_xstrdup(spec + n + 1) : NULL;
    return 0;
}

int nc_plugin_run(const nc_plugin *pl, nc_doc *doc, const char *args, const nc_options *opt,
                  nc_diag *diag)
{
    size_t errors = nc_diag_count(diag, NC_DIAG_ERROR);
    if (pl->p->run(doc, args, opt, diag) == 0)
        return 0;
    if (nc_diag_count(diag, NC_DIAG_ERROR) == errors)
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "plugin '%s' (%s) failed", pl->p->name,
                       pl->path);
    return -1;
}

void nc_plugin_close(nc_plugin *pl)
{
    if (!pl)
        return;
    dlclose(pl->handle);
    free(pl->path);
    free(pl);
}
