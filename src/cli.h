/* cli.h — what the command's two files share: main.c (options, one conversion) and batch.c
 * (many conversions on threads, progress, dependency files). Not part of the library. */
#ifndef NC_CLI_H
#define NC_CLI_H

#include "noteconv/noteconv.h"

enum {
    EXIT_USAGE = 2,  /* bad options */
    EXIT_INPUT = 3,  /* an input could not be read or converted */
    EXIT_OUTPUT = 4, /* the output could not be written */
    EXIT_FILTER = 5  /* a filter failed */
};

/* Everything the options decided; read-only while conversions run, so threads share it. */
typedef struct cli_conf {
    nc_options opt;
    const nc_reader *forced;  /* -f, else from each input's name */
    const nc_chain *chain;
    const char *const *metafiles;
    size_t nmetafiles;
    const nc_kv *metas;       /* -M */
    size_t nmetas;
    bool dep_file;            /* -MD (or -MF): write a dependency file */
    const char *dep_path;     /* -MF; NULL: each output's name + ".d" */
    const char *const *dep_targets; /* -MT; none: the outputs */
    size_t ndep_targets;
    bool dep_phony;           /* -MP */
    bool newer;               /* --newer: skip outputs newer than all they depend on */
    nc_diag_fn print;         /* shows one diagnostic (main.c's print_diag) */
    void *print_user;
} cli_conf;

typedef struct cli_output {
    const nc_writer *writer;
    char *path;               /* "-": standard output */
} cli_output;

/* One conversion: inputs read into one document, rendered by each writer. */
typedef struct cli_job {
    const char *const *inputs;
    size_t ninputs;
    cli_output *outs;
    size_t nouts;
    const char *label;        /* what the progress bar shows */
    bool make_dirs;           /* create the outputs' folders (-d) */
    /* results */
    int status;               /* 0 or an EXIT_ code */
    bool skipped;             /* --newer found every output up to date */
} cli_job;

/* Reads, filters and writes one job; diagnostics go to diag. Returns job->status. Safe to run
 * on several threads at once for different jobs. */
int cli_convert(const cli_conf *c, cli_job *job, nc_diag *diag);

/* True when every output of job exists and is newer than every file it depends on (from an
 * existing dependency file when -MD is on, else the inputs, metadata files and template). */
bool cli_up_to_date(const cli_conf *c, const cli_job *job);

/* Writes the dependency file(s) of job: deps[o] (ndeps[o] paths, repeats allowed) are the
 * files output o was made from. One file per output (OUTPUT.d), or all in -MF's. */
int cli_write_deps(const cli_conf *c, const cli_job *job, char **const *deps,
                   const size_t *ndeps, nc_diag *diag);

/* Creates the folders above path, as mkdir -p; -1 with an error reported. */
int cli_make_dirs(const char *path, nc_diag *diag);

/* Maps inputs to outputs under dir (layout mirrored from base, NULL: their common folder) for
 * each writer; jobs are calloc'd, one per input. -1 with a message printed on a bad input. */
int cli_plan(const char *dir, const char *base, char **inputs, size_t ninputs,
             const nc_writer *const *writers, size_t nwriters, cli_job **jobs);
void cli_jobs_free(cli_job *jobs, size_t n);

/* Runs the jobs on nthreads threads; prints their diagnostics in input order, a progress bar
 * on a terminal (unless quiet), a summary (when summary is set, or one failed). Returns the
 * first failed job's status, else 0. */
int cli_run(const cli_conf *c, cli_job *jobs, size_t njobs, int nthreads, bool fail_fast,
            bool quiet, bool summary);

#endif
