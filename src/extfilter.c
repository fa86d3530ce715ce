/* extfilter.c — external pandoc-JSON filters as chain entries: finds the program, runs it in a
 * process group of its own over non-blocking pipes with a deadline, and reads its answer back.
 * It must not print, change signal dispositions or the environment of the process. */
#define _GNU_SOURCE /* pipe2, SOCK_CLOEXEC, environ */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extfilter.h"

extern char **environ;

#define ERR_KEEP ((size_t)64 * 1024)
#define CHUNK ((size_t)64 * 1024)

/* ---- processes ---- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child's ends must not be 0..2 of ours (dup2 onto itself would keep close-on-exec), and
 * every descriptor is close-on-exec so that a filter started by another thread at the same
 * moment does not inherit it and hold our pipes open. */
static int high_fd(int fd)
{
    if (fd < 0 || fd > 2)
        return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    return moved;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* environ plus the overrides; the strings are borrowed, only the array is allocated. */
static char **make_env(const char *const *add)
{
    size_t n = 0, nadd = 0;
    while (environ && environ[n])
        n++;
    while (add && add[nadd])
        nadd++;
    char **env = nc_xmalloc((n + nadd + 1) * sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        bool replaced = false;
        for (size_t j = 0; j < nadd && !replaced; j++)
            replaced = strncmp(add[j], environ[i], klen) == 0 && add[j][klen] == '=';
        if (!replaced)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < nadd; j++)
        env[k++] = (char *)add[j];
    env[k] = NULL;
    return env;
}

/* Standard error keeps its end: a traceback's last lines say what went wrong. */
static void keep_tail(nc_buf *err)
{
    if (err->len <= 2 * ERR_KEEP)
        return;
    memmove(err->ptr, err->ptr + err->len - ERR_KEEP, ERR_KEEP);
    nc_buf_truncate(err, ERR_KEEP);
}

static void reap(pid_t pid, int *wstatus, bool *have)
{
    for (;;) {
        pid_t r = waitpid(pid, wstatus, 0);
        if (r == pid) {
            *have = true;
            return;
        }
        if (r < 0 && errno == EINTR)
            continue;
        /* ECHILD: the embedding program ignores SIGCHLD, so the status is gone */
        return;
    }
}

int nc_proc_run(const char *const *argv, const char *const *env_add, const char *in,
                size_t inlen, double timeout, size_t max_out, nc_buf *out, nc_buf *err,
                nc_proc_result *res, int *errnum)
{
    memset(res, 0, sizeof *res);
    res->status = -1;
    int sv[2] = {-1, -1}, po[2] = {-1, -1}, pe[2] = {-1, -1};
    /* standard input is a socket so that writing after the child has gone gives EPIPE
     * through MSG_NOSIGNAL instead of a SIGPIPE that would kill the whole process */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
        pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
        *errnum = errno;
        goto fail;
    }
    for (int i = 0; i < 2; i++) {
        sv[i] = high_fd(sv[i]);
        po[i] = high_fd(po[i]);
        pe[i] = high_fd(pe[i]);
    }
    if (sv[0] < 0 || sv[1] < 0 || po[0] < 0 || po[1] < 0 || pe[0] < 0 || pe[1] < 0) {
        *errnum = EMFILE;
        goto fail;
    }
    /* the child's end of the socket only reads */
    shutdown(sv[1], SHUT_WR);

    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    /* a child of ours starts with default signal handling (SIGPIPE included, which its
     * own writes rely on) and in a group of its own, so a timeout can stop all of it */
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    char **env = make_env(env_add);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)argv, env);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close_fd(&sv[1]);
    close_fd(&po[1]);
    close_fd(&pe[1]);
    if (rc != 0) {
        *errnum = rc;
        goto fail;
    }

    int fds[3] = {sv[0], po[0], pe[0]};
    sv[0] = po[0] = pe[0] = -1;
    for (int i = 0; i < 3; i++)
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    size_t off = 0;
    if (inlen == 0)
        close_fd(&fds[0]);
    double deadline = timeout > 0 ? now() + timeout : 0;
    bool killed = false;
    while (fds[0] >= 0 || fds[1] >= 0 || fds[2] >= 0) {
        struct pollfd p[3];
        for (int i = 0; i < 3; i++) {
            p[i].fd = fds[i];
            p[i].events = i == 0 ? POLLOUT : POLLIN;
            p[i].revents = 0;
        }
        int wait_ms = -1;
        if (deadline > 0) {
            double left = deadline - now();
            if (left <= 0) {
                res->timed_out = true;
                break;
            }
            wait_ms = left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
        }
        int r = poll(p, 3, wait_ms);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            *errnum = errno;
            killed = true;
            break;
        }
        /* each ready descriptor is drained until it would block: fewer polls */
        while (fds[0] >= 0 && p[0].revents) {
            ssize_t n = send(fds[0], in + off, inlen - off, MSG_NOSIGNAL);
            if (n > 0)
                off += (size_t)n;
            /* EPIPE: the filter stopped reading; what it prints decides */
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || off == inlen)
                close_fd(&fds[0]);
            if (n < 0 && errno == EAGAIN)
                break;
        }
        for (int i = 1; i < 3; i++) {
            while (fds[i] >= 0 && p[i].revents) {
                nc_buf *b = i == 1 ? out : err;
                nc_buf_grow(b, CHUNK);
                ssize_t n = read(fds[i], b->ptr + b->len, b->cap - b->len - 1);
                if (n > 0) {
                    b->len += (size_t)n;
                    b->ptr[b->len] = '\0';
                    if (i == 2)
                        keep_tail(err);
                } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                    close_fd(&fds[i]);
                } else if (errno == EAGAIN) {
                    break;
                }
                if (max_out && out->len > max_out)
                    break;
            }
        }
        if (max_out && out->len > max_out) {
            res->too_big = true;
            break;
        }
    }
    for (int i = 0; i < 3; i++)
        close_fd(&fds[i]);

    int wstatus = 0;
    bool have = false;
    if (!res->timed_out && !res->too_big && !killed) {
        /* the pipes are closed, but the filter may still be running: wait for it within
         * the same deadline */
        if (deadline <= 0) {
            reap(pid, &wstatus, &have);
        } else {
            long nap = 1000000; /* ns, doubling up to 50 ms */
            for (;;) {
                pid_t w = waitpid(pid, &wstatus, WNOHANG);
                if (w == pid) {
                    have = true;
                    break;
                }
                if (w < 0 && errno != EINTR)
                    break;
                if (now() >= deadline) {
                    res->timed_out = true;
                    break;
                }
                struct timespec ts = {0, nap};
                nanosleep(&ts, NULL);
                nap = nap < 50000000 ? nap * 2 : nap;
            }
        }
    }
    if (!have && (res->timed_out || res->too_big || killed)) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        reap(pid, &wstatus, &have);
        if (killed)
            return -1;
        return 0;
    }
    if (!have) {
        res->status = 0;
    } else if (WIFEXITED(wstatus)) {
        res->status = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        res->signal = WTERMSIG(wstatus);
    }
    return 0;

fail:
    for (int i = 0; i < 2; i++) {
        close_fd(&sv[i]);
        close_fd(&po[i]);
        close_fd(&pe[i]);
    }
    return -1;
}

/* ---- finding the program ---- */

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_exec(const char *path)
{
    return is_file(path) && access(path, X_OK) == 0;
}

static const char *interpreter(const char *path)
{
    static const struct {
        const char *ext, *prog;
    } by_ext[] = {
        {".py", "python3"}, {".pl", "perl"},    {".rb", "ruby"},   {".js", "node"},
        {".php", "php"},    {".hs", "runghc"}, {".r", "Rscript"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (strcasecmp(dot, by_ext[i].ext) == 0)
            return by_ext[i].prog;
    return NULL;
}

/* Is prog in dir (executable or not)? */
static bool in_dir(nc_buf *path, const char *dir, size_t dlen, const char *sub,
                   const char *prog, bool need_exec)
{
    nc_buf_clear(path);
    nc_buf_put(path, dir, dlen);
    if (sub)
        nc_buf_puts(path, sub);
    nc_buf_putc(path, '/');
    nc_buf_puts(path, prog);
    return need_exec ? is_exec(path->ptr) : is_file(path->ptr);
}

int nc_filter_program(const char *prog, nc_buf *path, const char *argv[4], nc_diag *diag)
{
    bool found = false;
    if (!*prog) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "filter '': an empty program name");
        return -1;
    }
    nc_buf_clear(path);
    if (is_file(prog)) {
        /* a relative name is run as ./name, never looked up in $PATH by the spawn */
        if (!strchr(prog, '/'))
            nc_buf_puts(path, "./");
        nc_buf_puts(path, prog);
        found = true;
    } else if (!strchr(prog, '/')) {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg && xdg[0] == '/')
            found = in_dir(path, xdg, strlen(xdg), "/pandoc/filters", prog, false);
        else if (home && *home)
            found = in_dir(path, home, strlen(home), "/.local/share/pandoc/filters", prog,
                           false);
        if (!found && home && *home)
            found = in_dir(path, home, strlen(home), "/.pandoc/filters", prog, false);
        const char *p = getenv("PATH");
        while (!found && p && *p) {
            size_t n = strcspn(p, ":");
            found = in_dir(path, n ? p : ".", n ? n : 1, NULL, prog, true);
            p += n + (p[n] == ':');
        }
    }
    if (!found) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "filter '%s' not found (looked for it as given%s)", prog,
                       strchr(prog, '/') ? ""
                                         : ", in ~/.local/share/pandoc/filters and in $PATH");
        return -1;
    }
    const char *interp = interpreter(path->ptr);
    int k = 0;
    /* Python filters always go through python3, as the shebang line may name a python
     * that is not there; the others only when they are not executable themselves */
    if (interp && (strcmp(interp, "python3") == 0 || !is_exec(path->ptr)))
        argv[k++] = interp;
    else if (!is_exec(path->ptr)) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "filter '%s': %s is not executable, and its extension names no "
                       "interpreter",
                       prog, path->ptr);
        return -1;
    }
    argv[k++] = path->ptr;
    argv[k] = NULL;
    return 0;
}

/* ---- the pandoc-api-version of a JSON text ---- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Past a JSON string starting at its quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Past one JSON value, without recursion, or NULL when malformed. */
static const char *skip_value(const char *p, const char *end)
{
    size_t depth = 0;
    do {
        p = skip_ws(p, end);
        if (p >= end)
            return NULL;
        if (*p == '"') {
            if (!(p = skip_string(p, end)))
                return NULL;
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            if (!depth)
                return NULL;
            depth--;
            p++;
        } else {
            while (p < end && !strchr(",:]} \t\r\n", *p))
                p++;
        }
        if (depth) {
            p = skip_ws(p, end);
            while (p < end && (*p == ',' || *p == ':'))
                p = skip_ws(p + 1, end);
        }
    } while (depth);
    return p;
}

static const char *read_int(const char *p, const char *end, int *v)
{
    p = skip_ws(p, end);
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    long n = 0;
    while (p < end && *p >= '0' && *p <= '9' && n < 100000)
        n = n * 10 + (*p++ - '0');
    *v = (int)n;
    return skip_ws(p, end);
}

int nc_pandoc_json_api(const char *json, size_t len, int *major, int *minor)
{
    const char *p = json, *end = json + len;
    static const char key[] = "\"pandoc-api-version\"";
    p = skip_ws(p, end);
    if (p >= end || *p != '{')
        return -1;
    p++;
    for (;;) {
        p = skip_ws(p, end);
        if (p >= end || *p != '"')
            return -1;
        const char *k = p;
        if (!(p = skip_string(p, end)))
            return -1;
        bool match = (size_t)(p - k) == sizeof key - 1 && memcmp(k, key, sizeof key - 1) == 0;
        p = skip_ws(p, end);
        if (p >= end || *p != ':')
            return -1;
        p = skip_ws(p + 1, end);
        if (match) {
            if (p >= end || *p != '[' || !(p = read_int(p + 1, end, major)) || p >= end ||
                *p != ',' || !(p = read_int(p + 1, end, minor)))
                return -1;
            return 0;
        }
        if (!(p = skip_value(p, end)))
            return -1;
        p = skip_ws(p, end);
        if (p >= end || *p != ',')
            return -1;
        p++;
    }
}

/* ---- the chain entry ---- */

void nc_doc_clear(nc_doc *doc)
{
    nc_node *root = nc_doc_root(doc);
    while (root->first)
        nc_node_unlink(root->first);
    nc_meta *meta = nc_doc_meta(doc);
    while (meta->n)
        nc_meta_remove(meta, meta->keys[meta->n - 1]);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "a signal";
    }
}

/* The filter's standard error for a message: its last lines, indented, at most ~2 KB. */
static void stderr_tail(const nc_buf *err, const char *intro, nc_buf *msg)
{
    const char *s = nc_buf_cstr(err);
    size_t len = err->len;
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    while (len && (*s == '\n' || *s == '\r')) {
        s++;
        len--;
    }
    if (!len)
        return;
    size_t start = len, lines = 0;
    while (start && lines < 20 && len - start < 2000) {
        start--;
        if (s[start] == '\n')
            lines++;
    }
    if (start && s[start] == '\n')
        start++;
    /* do not begin inside a UTF-8 sequence */
    while (start < len && ((unsigned char)s[start] & 0xC0) == 0x80)
        start++;
    nc_buf_puts(msg, intro);
    if (start)
        nc_buf_puts(msg, "\n  ...");
    nc_buf_puts(msg, "\n  ");
    for (size_t i = start; i < len; i++) {
        if (s[i] == '\r')
            continue;
        nc_buf_putc(msg, s[i]);
        if (s[i] == '\n')
            nc_buf_puts(msg, "  ");
    }
}

/* The filter's failure, told against the note it was running on (file may be NULL): in a
 * batch, several notes go through the same filter. */
static void fail(nc_diag *diag, const char *file, const char *prog, const nc_buf *err,
                 const char *fmt, ...) NC_PRINTF(5, 6);

static void fail(nc_diag *diag, const char *file, const char *prog, const nc_buf *err,
                 const char *fmt, ...)
{
    nc_buf msg = NC_BUF_INIT;
    nc_buf_printf(&msg, "filter '%s' ", prog);
    va_list ap;
    va_start(ap, fmt);
    nc_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (err)
        stderr_tail(err, "; its standard error:", &msg);
    nc_pos pos = {file, 0, 0};
    nc_diag_report(diag, NC_DIAG_ERROR, file ? &pos : NULL, "%s", nc_buf_cstr(&msg));
    nc_buf_free(&msg);
}

/* Reads the filter's answer into doc; the reader's messages are passed on under the
 * filter's name, since the JSON text they point into exists nowhere the user can see. */
static int read_back(nc_doc *doc, const nc_reader *r, const char *prog, const nc_buf *out,
                     const nc_buf *err, const nc_options *opt, nc_diag *diag)
{
    nc_diag *sub = nc_diag_new();
    nc_buf label = NC_BUF_INIT;
    nc_buf_printf(&label, "output of filter %s", prog);
    const char *path = nc_doc_path(doc);
    char *keep = path ? nc_xstrdup(path) : NULL;
    nc_doc_clear(doc);
    int rc = r->read(doc, nc_buf_cstr(out), out->len, nc_buf_cstr(&label), opt, sub);
    if (keep)
        nc_doc_set_path(doc, keep);
    nc_pos pos = {keep, 0, 0};
    bool told = false;
    for (size_t i = 0; i < nc_diag_size(sub); i++) {
        const nc_diag_entry *e = nc_diag_get(sub, i);
        nc_buf where = NC_BUF_INIT;
        if (e->line)
            nc_buf_printf(&where, " at %u:%u", (unsigned)e->line, (unsigned)e->col);
        if (e->level == NC_DIAG_ERROR) {
            if (!told)
                fail(diag, keep, prog, err, "printed invalid pandoc JSON%s: %s",
                     nc_buf_cstr(&where), e->message);
            told = true;
        } else {
            nc_diag_report(diag, (int)e->level | (e->verbose ? NC_DIAG_VERBOSE : 0),
                           keep ? &pos : NULL, "filter '%s' output%s: %s", prog,
                           nc_buf_cstr(&where),
                           e->message);
        }
        nc_buf_free(&where);
    }
    if (rc != 0 && !told)
        fail(diag, keep, prog, err, "printed invalid pandoc JSON");
    free(keep);
    nc_buf_free(&label);
    nc_diag_free(sub);
    return rc != 0 ? -1 : 0;
}

int nc_extfilter_run(nc_doc *doc, const char *prog, double timeout, const nc_options *opt,
                     nc_diag *diag)
{
    const nc_writer *w = nc_writer_find("json");
    const nc_reader *r = nc_reader_find("json");
    if (!w || !r) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                       "filter '%s': this noteconv cannot read and write pandoc JSON", prog);
        return -1;
    }
    nc_buf path = NC_BUF_INIT, json = NC_BUF_INIT, out = NC_BUF_INIT, err = NC_BUF_INIT;
    const char *argv[5];
    int rc = -1;
    /* the note's path, valid until read_back() replaces the document */
    const char *file = nc_doc_path(doc);
    nc_pos pos = {file, 0, 0};
    nc_diag *sub = nc_diag_new();
    int found = nc_filter_program(prog, &path, argv, sub);
    for (size_t i = 0; i < nc_diag_size(sub); i++) {
        const nc_diag_entry *e = nc_diag_get(sub, i);
        nc_diag_report(diag, (int)e->level | (e->verbose ? NC_DIAG_VERBOSE : 0),
                       file ? &pos : NULL, "%s", e->message);
    }
    nc_diag_free(sub);
    if (found != 0)
        goto done;
    int argc = 0;
    while (argv[argc])
        argc++;
    argv[argc++] = opt && opt->target ? opt->target : "html";
    argv[argc] = NULL;

    if (w->render(doc, opt, &json, diag) != 0) {
        fail(diag, file, prog, NULL, "was not run: the document could not be written as pandoc JSON");
        goto done;
    }
    /* what pandoc tells its filters, for a pandoc of the API version they are given */
    int major = 1, minor = 23;
    nc_pandoc_json_api(json.ptr, json.len, &major, &minor);
    const char *env[] = {
        major == 1 && minor <= 22 ? "PANDOC_VERSION=2.19.2" : "PANDOC_VERSION=3.1.3",
        "NOTECONV_VERSION=" NC_VERSION_STRING,
        NULL,
    };
    size_t max_out = opt && opt->max_input_size ? opt->max_input_size : NC_DEFAULT_MAX_INPUT;
    nc_proc_result res;
    int errnum = 0;
    if (nc_proc_run(argv, env, json.ptr, json.len, timeout, max_out, &out, &err, &res,
                    &errnum) != 0) {
        fail(diag, file, prog, NULL, "could not be run (%s): %s", argv[0], strerror(errnum));
        goto done;
    }
    if (res.timed_out)
        fail(diag, file, prog, &err, "ran longer than %g s (--filter-timeout) and was stopped",
             timeout);
    else if (res.too_big)
        fail(diag, file, prog, &err, "printed more than %zu bytes and was stopped", max_out);
    else if (res.signal)
        fail(diag, file, prog, &err, "was killed by signal %d (%s)", res.signal,
             signal_name(res.signal));
    else if (res.status != 0)
        fail(diag, file, prog, &err, "failed with exit status %d", res.status);
    else if (!out.len)
        fail(diag, file, prog, &err, "printed nothing (a filter prints the document as pandoc JSON)");
    else if (read_back(doc, r, prog, &out, &err, opt, diag) == 0) {
        /* pandoc lets a filter's messages through; so do we, as a note */
        nc_buf msg = NC_BUF_INIT;
        stderr_tail(&err, ":", &msg);
        pos.file = nc_doc_path(doc);
        if (msg.len)
            nc_diag_report(diag, NC_DIAG_NOTE, pos.file ? &pos : NULL,
                           "filter '%s' wrote to standard error%s", prog, nc_buf_cstr(&msg));
        nc_buf_free(&msg);
        rc = 0;
    }
done:
    nc_buf_free(&path);
    nc_buf_free(&json);
    nc_buf_free(&out);
    nc_buf_free(&err);
    return rc;
}
