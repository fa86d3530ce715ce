/* batch.c — the command's many-notes mode: output names under -d, a queue of conversions on
 * threads, diagnostics in input order, the progress bar, dependency files and --newer. Part of
 * the command, not the library: it prints, but only from the main thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---------------------------------------------------------------------------------------- */
/* Output names                                                                              */

/* path made absolute (against the current folder) and lexically clean: no ".", "..", "//". */
static char *absolute(const char *path)
{
    nc_buf in = NC_BUF_INIT;
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        nc_buf_puts(&in, cwd ? cwd : ".");
        free(cwd);
        nc_buf_putc(&in, '/');
    }
    nc_buf_puts(&in, path);
    char *s = nc_buf_detach(&in, NULL);
    size_t w = 0; /* s[0..w) is the clean prefix, without a final '/' */
    for (const char *p = s; *p;) {
        while (*p == '/')
            p++;
        size_t len = strcspn(p, "/");
        if (len == 0)
            break;
        if (len == 1 && p[0] == '.') {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (w > 0 && s[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
        } else {
            s[w++] = '/';
            memmove(s + w, p, len);
            w += len;
        }
        p += len;
    }
    if (w == 0)
        s[w++] = '/';
    s[w] = '\0';
    return s;
}

/* The length of the folder part of an absolute clean path ("/a/b.md" -> 2, "/b.md" -> 0). */
static size_t dir_len(const char *abs)
{
    const char *slash = strrchr(abs, '/');
    return slash ? (size_t)(slash - abs) : 0;
}

static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static const char *extension(const nc_writer *w, nc_buf *tmp)
{
    size_t len = strcspn(w->extensions, " ");
    nc_buf_clear(tmp);
    if (len)
        nc_buf_put(tmp, w->extensions, len);
    else
        nc_buf_printf(tmp, ".%s", w->name);
    return nc_buf_cstr(tmp);
}

int cli_plan(const char *dir, const char *base, char **inputs, size_t ninputs,
             const nc_writer *const *writers, size_t nwriters, cli_job **jobs)
{
    char **abs = nc_xcalloc(ninputs, sizeof *abs);
    for (size_t i = 0; i < ninputs; i++)
        abs[i] = absolute(inputs[i]);
    char *root;
    size_t rlen;
    if (base) {
        root = absolute(base);
        rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
    } else {
        /* the longest folder that holds every input */
        root = nc_xstrdup(abs[0]);
        rlen = dir_len(root);
        for (size_t i = 1; i < ninputs; i++) {
            size_t d = dir_len(abs[i]);
            while (rlen > 0 && !(d >= rlen && strncmp(abs[i], root, rlen) == 0 &&
                                 (d == rlen || abs[i][rlen] == '/'))) {
                root[rlen] = '\0';
                rlen = dir_len(root);
            }
        }
        root[rlen] = '\0';
    }
    int rc = 0;
    cli_job *list = nc_xcalloc(ninputs, sizeof *list);
    nc_buf out = NC_BUF_INIT, ext = NC_BUF_INIT;
    for (size_t i = 0; i < ninputs && !rc; i++) {
        if (strncmp(abs[i], root, rlen) != 0 || abs[i][rlen] != '/') {
            fprintf(stderr, "noteconv: error: '%s' is not under the base folder '%s'; "
                    "give --base\n", inputs[i], base ? base : root);
            rc = -1;
            break;
        }
        const char *rel = abs[i] + rlen + 1;
        const char *slash = strrchr(rel, '/');
        const char *name = slash ? slash + 1 : rel;
        const char *dot = strrchr(name, '.');
        size_t stem = dot && dot > name ? (size_t)(dot - rel) : strlen(rel);
        cli_job *j = &list[i];
        j->inputs = (const char *const *)&inputs[i];
        j->ninputs = 1;
        j->label = nc_xstrdup(rel);
        j->make_dirs = true;
        j->outs = nc_xcalloc(nwriters, sizeof *j->outs);
        j->nouts = nwriters;
        for (size_t w = 0; w < nwriters; w++) {
            nc_buf_clear(&out);
            nc_buf_puts(&out, dir);
            if (out.len && out.ptr[out.len - 1] != '/')
                nc_buf_putc(&out, '/');
            nc_buf_put(&out, rel, stem);
            nc_buf_puts(&out, extension(writers[w], &ext));
            j->outs[w].writer = writers[w];
            j->outs[w].path = nc_xstrdup(nc_buf_cstr(&out));
            if (same_file(inputs[i], j->outs[w].path)) {
                fprintf(stderr, "noteconv: error: the output '%s' is an input: refusing to "
                        "overwrite it\n", j->outs[w].path);
                rc = -1;
            }
        }
    }
    /* two inputs that differ only in their extension would write one file twice */
    for (size_t i = 0; i < ninputs && !rc; i++)
        for (size_t k = 0; k < i && !rc; k++)
            if (strcmp(list[i].outs[0].path, list[k].outs[0].path) == 0) {
                fprintf(stderr, "noteconv: error: '%s' and '%s' would both be written to "
                        "'%s'\n", inputs[k], inputs[i], list[i].outs[0].path);
                rc = -1;
            }
    nc_buf_free(&out);
    nc_buf_free(&ext);
    for (size_t i = 0; i < ninputs; i++)
        free(abs[i]);
    free(abs);
    free(root);
    if (rc) {
        cli_jobs_free(list, ninputs);
        list = NULL;
    }
    *jobs = list;
    return rc;
}

void cli_jobs_free(cli_job *jobs, size_t n)
{
    if (!jobs)
        return;
    for (size_t i = 0; i < n; i++) {
        for (size_t o = 0; jobs[i].outs && o < jobs[i].nouts; o++)
            free(jobs[i].outs[o].path);
        free(jobs[i].outs);
        free((char *)jobs[i].label);
    }
    free(jobs);
}

int cli_make_dirs(const char *path, nc_diag *diag)
{
    char *p = nc_xstrdup(path);
    int rc = 0;
    for (char *s = strchr(p + 1, '/'); s && !rc; s = strchr(s + 1, '/')) {
        *s = '\0';
        struct stat st;
        /* another thread may make the same folder at the same time: EEXIST is fine */
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            nc_pos pos = {p, 0, 0};
            nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot make the folder: %s",
                           strerror(errno));
            rc = -1;
        } else if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
            nc_pos pos = {p, 0, 0};
            nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot make the folder: a file is "
                           "in the way");
            rc = -1;
        }
        *s = '/';
    }
    free(p);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Dependency files, as gcc -MD writes them                                                  */

/* make's escapes: a space and # are backslashed, $ doubled. */
static void put_escaped(nc_buf *b, const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '#')
            nc_buf_putc(b, '\\');
        else if (*p == '$')
            nc_buf_putc(b, '$');
        nc_buf_putc(b, *p);
    }
}

static bool is_input(const cli_job *job, const char *path)
{
    for (size_t i = 0; i < job->ninputs; i++)
        if (strcmp(job->inputs[i], path) == 0)
            return true;
    return false;
}

/* One rule: targets, then each file once, in the order first reported. */
static void rule(nc_buf *b, const cli_conf *c, const cli_job *job, const char *const *targets,
                 size_t ntargets, char **const *deps, const size_t *ndeps, size_t from,
                 size_t to)
{
    const char **seen = NULL;
    size_t nseen = 0;
    for (size_t t = 0; t < ntargets; t++) {
        if (t)
            nc_buf_putc(b, ' ');
        /* -MT is written as given, like gcc's; output names are escaped */
        if (c->ndep_targets)
            nc_buf_puts(b, targets[t]);
        else
            put_escaped(b, targets[t]);
    }
    nc_buf_putc(b, ':');
    for (size_t o = from; o < to; o++)
        for (size_t i = 0; i < ndeps[o]; i++) {
            bool dup = false;
            for (size_t k = 0; k < nseen && !dup; k++)
                dup = strcmp(seen[k], deps[o][i]) == 0;
            if (dup)
                continue;
            seen = nc_xrealloc(seen, (nseen + 1) * sizeof *seen);
            seen[nseen++] = deps[o][i];
            nc_buf_puts(b, nseen == 1 ? " " : " \\\n  ");
            put_escaped(b, deps[o][i]);
        }
    nc_buf_putc(b, '\n');
    /* -MP: a rule with no recipe per file, so that deleting an image does not stop make */
    for (size_t k = 0; c->dep_phony && k < nseen; k++)
        if (!is_input(job, seen[k])) {
            nc_buf_putc(b, '\n');
            put_escaped(b, seen[k]);
            nc_buf_puts(b, ":\n");
        }
    free(seen);
}

int cli_write_deps(const cli_conf *c, const cli_job *job, char **const *deps,
                   const size_t *ndeps, nc_diag *diag)
{
    nc_buf b = NC_BUF_INIT;
    int rc = 0;
    if (c->dep_path) {
        const char **targets = nc_xcalloc(job->nouts, sizeof *targets);
        for (size_t o = 0; o < job->nouts; o++)
            targets[o] = job->outs[o].path;
        if (c->ndep_targets)
            rule(&b, c, job, c->dep_targets, c->ndep_targets, deps, ndeps, 0, job->nouts);
        else
            rule(&b, c, job, targets, job->nouts, deps, ndeps, 0, job->nouts);
        free(targets);
        rc = nc_write_file(c->dep_path, b.ptr, b.len, diag);
    } else {
        nc_buf path = NC_BUF_INIT;
        for (size_t o = 0; o < job->nouts && !rc; o++) {
            nc_buf_clear(&b);
            const char *target = job->outs[o].path;
            if (c->ndep_targets)
                rule(&b, c, job, c->dep_targets, c->ndep_targets, deps, ndeps, o, o + 1);
            else
                rule(&b, c, job, &target, 1, deps, ndeps, o, o + 1);
            nc_buf_clear(&path);
            nc_buf_printf(&path, "%s.d", target);
            rc = nc_write_file(nc_buf_cstr(&path), b.ptr, b.len, diag);
        }
        nc_buf_free(&path);
    }
    nc_buf_free(&b);
    return rc;
}

/* The prerequisites of the first rule of a dependency file, unescaped; NULL if unreadable. */
static char **read_deps(const char *path, size_t *n)
{
    char *data;
    size_t len;
    if (nc_read_file(path, &data, &len, 16u << 20, NULL) != 0)
        return NULL;
    char **list = NULL;
    *n = 0;
    const char *p = data, *end = data + len;
    /* the targets end at the first ':' that is not part of a name */
    while (p < end && !(*p == ':' && (p + 1 == end || p[1] == ' ' || p[1] == '\t' ||
                                     p[1] == '\n' || p[1] == '\r'))) {
        if (*p == '\\' && p + 1 < end)
            p++;
        p++;
    }
    if (p == end) {
        free(data);
        return NULL;
    }
    p++;
    nc_buf tok = NC_BUF_INIT;
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        if (*p == '\\' && p + 1 < end && (p[1] == '\n' || p[1] == '\r')) {
            p += 2;
            continue;
        }
        if (*p == '\n')
            break;
        nc_buf_clear(&tok);
        while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            if (*p == '\\' && p + 1 < end && (p[1] == ' ' || p[1] == '\t' || p[1] == '#'))
                p++;
            else if (*p == '\\' && p + 1 < end && p[1] == '\n')
                break;
            else if (*p == '$' && p + 1 < end && p[1] == '$')
                p++;
            nc_buf_putc(&tok, *p++);
        }
        if (tok.len) {
            list = nc_xrealloc(list, (*n + 1) * sizeof *list);
            list[(*n)++] = nc_xstrdup(nc_buf_cstr(&tok));
        }
    }
    nc_buf_free(&tok);
    free(data);
    if (!list)
        list = nc_xcalloc(1, sizeof *list);
    return list;
}

static bool newer_than(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec != b->st_mtim.tv_sec ? a->st_mtim.tv_sec > b->st_mtim.tv_sec
                                                  : a->st_mtim.tv_nsec > b->st_mtim.tv_nsec;
}

/* Is every file in list there and not newer than out? */
static bool fresh(const struct stat *out, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(list[i], &st) != 0 || newer_than(&st, out))
            return false;
    }
    return true;
}

bool cli_up_to_date(const cli_conf *c, const cli_job *job)
{
    for (size_t o = 0; o < job->nouts; o++) {
        const char *path = job->outs[o].path;
        struct stat out;
        if (strcmp(path, "-") == 0 || stat(path, &out) != 0 || !S_ISREG(out.st_mode))
            return false;
        if (!fresh(&out, job->inputs, job->ninputs) ||
            !fresh(&out, c->metafiles, c->nmetafiles) ||
            (c->opt.template_path && !fresh(&out, &c->opt.template_path, 1)))
            return false;
        if (c->dep_file) {
            /* images and the rest are known only from the last conversion's .d file */
            nc_buf dpath = NC_BUF_INIT;
            if (c->dep_path)
                nc_buf_puts(&dpath, c->dep_path);
            else
                nc_buf_printf(&dpath, "%s.d", path);
            size_t n = 0;
            char **list = read_deps(nc_buf_cstr(&dpath), &n);
            nc_buf_free(&dpath);
            bool ok = list && fresh(&out, (const char *const *)list, n);
            for (size_t i = 0; i < n; i++)
                free(list[i]);
            free(list);
            if (!ok)
                return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------------------------------- */
/* The queue, the threads and the progress bar                                               */

typedef struct run {
    const cli_conf *c;
    cli_job *jobs;
    size_t n;
    bool fail_fast;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;      /* the next job to start */
    size_t ndone;
    size_t running;   /* worker threads not yet finished */
    bool stop;        /* --fail-fast after a failure */
    size_t current;   /* the job started last, for the bar */
    nc_diag **diags;  /* each job's messages, printed in input order by the main thread */
    bool *done;
} run;

static void *worker(void *arg)
{
    run *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop && r->next < r->n) {
        size_t i = r->next++;
        r->current = i;
        pthread_mutex_unlock(&r->mu);
        cli_job *job = &r->jobs[i];
        nc_diag *diag = nc_diag_new();
        if (r->c->newer && cli_up_to_date(r->c, job))
            job->skipped = true;
        else
            cli_convert(r->c, job, diag);
        pthread_mutex_lock(&r->mu);
        r->diags[i] = diag;
        r->done[i] = true;
        r->ndone++;
        if (job->status && r->fail_fast)
            r->stop = true;
        pthread_cond_broadcast(&r->cv);
    }
    r->running--;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Columns a UTF-8 string takes: CJK (three-byte sequences from U+2E80) count two. */
static size_t columns(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xC0) == 0x80)
            continue;
        w += ch >= 0xE2 && ch < 0xF0 && !(ch == 0xE2 && i + 1 < len &&
                                          (unsigned char)s[i + 1] < 0xBA) ? 2 : 1;
    }
    return w;
}

static int term_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* "  57/163  35% [#######.............]  48.2/s  ETA 0:02  blog/2019/10/x.md", cut to the
 * terminal's width (less one column, so the cursor never wraps); the name is cut on the
 * left, where paths differ least. */
static void draw(nc_buf *line, size_t done, size_t total, double elapsed, const char *label)
{
    int width = term_width() - 1;
    nc_buf_clear(line);
    nc_buf_puts(line, "\r");
    size_t start = line->len;
    int digits = snprintf(NULL, 0, "%zu", total);
    nc_buf_printf(line, "%*zu/%zu %3d%% [", digits, done, total,
                  (int)(total ? done * 100 / total : 100));
    int barw = width >= 100 ? 30 : width >= 70 ? 20 : 10;
    int fill = (int)(total ? (double)done * barw / (double)total : barw);
    for (int i = 0; i < barw; i++)
        nc_buf_putc(line, i < fill ? '#' : '.');
    nc_buf_putc(line, ']');
    if (done > 0 && elapsed > 0.2) {
        double rate = (double)done / elapsed;
        long eta = (long)((double)(total - done) / rate + 0.5);
        nc_buf_printf(line, " %6.1f/s  ETA %ld:%02ld", rate, eta / 60, eta % 60);
    } else {
        nc_buf_puts(line, "      -/s  ETA -:--");
    }
    size_t used = line->len - start;
    if (label && (size_t)width > used + 4) {
        size_t room = (size_t)width - used - 2, len = strlen(label);
        nc_buf_puts(line, "  ");
        if (columns(label, len) > room) {
            const char *p = label;
            while (*p && columns(p, strlen(p)) > room - 3)
                do
                    p++;
                while ((*p & 0xC0) == 0x80);
            nc_buf_puts(line, "...");
            nc_buf_puts(line, p);
        } else {
            nc_buf_puts(line, label);
        }
    }
    nc_buf_puts(line, "\033[K");
    fputs(nc_buf_cstr(line), stderr);
    fflush(stderr);
}

int cli_run(const cli_conf *c, cli_job *jobs, size_t njobs, int nthreads, bool fail_fast,
            bool quiet, bool summary)
{
    run r = {.c = c, .jobs = jobs, .n = njobs, .fail_fast = fail_fast};
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    r.diags = nc_xcalloc(njobs, sizeof *r.diags);
    r.done = nc_xcalloc(njobs, sizeof *r.done);
    const char *term = getenv("TERM");
    bool bar = !quiet && isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    if ((size_t)nthreads > njobs)
        nthreads = njobs ? (int)njobs : 1;
    pthread_t *tids = nc_xcalloc((size_t)nthreads, sizeof *tids);
    double t0 = now();
    pthread_mutex_lock(&r.mu);
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&tids[i], NULL, worker, &r) != 0) {
            if (i == 0) {
                pthread_mutex_unlock(&r.mu);
                fprintf(stderr, "noteconv: error: cannot start a thread\n");
                free(tids);
                free(r.diags);
                free(r.done);
                return EXIT_INPUT;
            }
            nthreads = i;
            break;
        }
        r.running++;
    }
    pthread_mutex_unlock(&r.mu);

    nc_buf line = NC_BUF_INIT;
    size_t printed = 0;
    bool shown = false;
    for (;;) {
        pthread_mutex_lock(&r.mu);
        while (r.running > 0 && !(printed < njobs && r.done[printed])) {
            if (!bar) {
                pthread_cond_wait(&r.cv, &r.mu);
                continue;
            }
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000;
            }
            if (pthread_cond_timedwait(&r.cv, &r.mu, &ts) == ETIMEDOUT)
                break;
        }
        size_t upto = printed;
        while (upto < njobs && r.done[upto])
            upto++;
        bool finished = r.running == 0;
        size_t ndone = r.ndone, cur = r.current;
        pthread_mutex_unlock(&r.mu);
        for (size_t i = printed; i < upto; i++) {
            size_t nd = nc_diag_size(r.diags[i]);
            if (nd && shown) {
                fputs("\r\033[K", stderr);
                shown = false;
            }
            for (size_t k = 0; k < nd; k++)
                c->print(nc_diag_get(r.diags[i], k), c->print_user);
            nc_diag_free(r.diags[i]);
            r.diags[i] = NULL;
        }
        printed = upto;
        if (finished)
            break;
        if (bar) {
            draw(&line, ndone, njobs, now() - t0, jobs[cur].label);
            shown = true;
        }
    }
    if (shown)
        fputs("\r\033[K", stderr);
    for (int i = 0; i < nthreads; i++)
        pthread_join(tids[i], NULL);

    size_t converted = 0, failed = 0, skipped = 0, started = r.next;
    int status = 0;
    for (size_t i = 0; i < started; i++) {
        if (jobs[i].skipped)
            skipped++;
        else if (jobs[i].status) {
            failed++;
            if (!status)
                status = jobs[i].status;
        } else {
            converted++;
        }
    }
    if (summary || failed) {
        nc_buf_clear(&line);
        nc_buf_printf(&line, "%zu converted", converted);
        if (skipped)
            nc_buf_printf(&line, ", %zu up to date", skipped);
        nc_buf_printf(&line, ", %zu failed", failed);
        if (started < njobs)
            nc_buf_printf(&line, ", %zu not started (--fail-fast)", njobs - started);
        if (!quiet || failed)
            fprintf(stderr, "%s\n", nc_buf_cstr(&line));
    }
    nc_buf_free(&line);
    for (size_t i = 0; i < njobs; i++)
        nc_diag_free(r.diags[i]);
    free(r.diags);
    free(r.done);
    free(tids);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    return status;
}
