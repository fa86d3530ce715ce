/* extfilter.h — running child processes over pipes, and external pandoc-JSON filters as chain
 * entries. Internal to libnoteconv; nothing here prints or touches process-wide state. */
#ifndef NC_EXTFILTER_H
#define NC_EXTFILTER_H

#include "internal.h"

/* How a child process ended. */
typedef struct nc_proc_result {
    int status;     /* the exit status when it exited, else -1 */
    int signal;     /* the signal that ended it, 0 when it exited */
    bool timed_out; /* killed (with its process group) because the deadline passed */
    bool too_big;   /* killed because its standard output passed max_out bytes */
} nc_proc_result;

/* Runs argv[0] (searched in $PATH when it has no '/') with argv, the environment plus
 * env_add ("KEY=VALUE" strings overriding the inherited ones, NULL-terminated or NULL), in a
 * process group of its own. Feeds it in[0..inlen) on standard input while collecting its
 * standard output into out and standard error into err (err keeps at most its last 64 KiB),
 * so a big document cannot deadlock. timeout is in seconds (0: none); max_out bounds out
 * (0: none). Returns 0 when the program ran (see res for how it ended), or -1 with *errnum
 * set when it could not be started. Never raises SIGPIPE in the caller. */
int nc_proc_run(const char *const *argv, const char *const *env_add, const char *in,
                size_t inlen, double timeout, size_t max_out, nc_buf *out, nc_buf *err,
                nc_proc_result *res, int *errnum);

/* Finds a filter program the way pandoc does: the name as given (a path, executable or not),
 * then $XDG_DATA_HOME/pandoc/filters (~/.local/share/pandoc/filters), then $PATH
 * (executables only). Fills argv (at most 3 entries used, then NULL) with the interpreter
 * chosen by the extension (.py: python3, .pl: perl, .rb: ruby, .js: node, .php: php,
 * .hs: runghc, .r: Rscript) when the file is not executable or is a script of those kinds,
 * then the path. path receives the found file. Returns 0, or -1 with an error reported. */
int nc_filter_program(const char *prog, nc_buf *path, const char *argv[4], nc_diag *diag);

/* Runs one external filter over doc: writes it as pandoc JSON, runs prog with the target
 * format as its argument, reads the JSON it prints back into doc (replacing its blocks and
 * metadata). timeout in seconds, 0: none. Returns 0, or -1 with an error naming the filter
 * (then doc may be left emptied). */
int nc_extfilter_run(nc_doc *doc, const char *prog, double timeout, const nc_options *opt,
                     nc_diag *diag);

/* The pandoc-api-version of a pandoc JSON text: sets major and minor (e.g. 1 and 23) and
 * returns 0, or -1 when the text has no readable top-level "pandoc-api-version". Cheap: it
 * skips over the other values without building them. */
int nc_pandoc_json_api(const char *json, size_t len, int *major, int *minor);

/* Empties a document's blocks and metadata before a reader fills it again. */
void nc_doc_clear(nc_doc *doc);

#endif
