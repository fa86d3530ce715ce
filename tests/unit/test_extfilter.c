/* test_extfilter.c — the process machinery of external filters: big inputs without deadlock,
 * exit codes, signals, deadlines that kill the whole process group, early exits without
 * SIGPIPE, two filters on two threads; finding programs; reading pandoc-api-version; notes
 * through the chain with external filters on four threads. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include "check.h"
#include "extfilter.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run {
    nc_buf out, err;
    nc_proc_result res;
    int rc, errnum;
    double secs;
} run;

static void sh(run *r, const char *script, const char *in, size_t inlen, double timeout,
               size_t max_out)
{
    const char *argv[] = {"sh", "-c", script, NULL};
    memset(r, 0, sizeof *r);
    double t0 = now();
    r->rc = nc_proc_run(argv, NULL, in, inlen, timeout, max_out, &r->out, &r->err, &r->res,
                        &r->errnum);
    r->secs = now() - t0;
}

static void done(run *r)
{
    nc_buf_free(&r->out);
    nc_buf_free(&r->err);
}

static char *big_input(size_t n)
{
    char *p = nc_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (char)('a' + (i * 7919 % 26));
    return p;
}

typedef struct job {
    const char *in;
    size_t len;
    bool same;
} job;

static void *cat_job(void *arg)
{
    job *j = arg;
    run r;
    sh(&r, "cat", j->in, j->len, 60, 0);
    j->same = r.rc == 0 && r.res.status == 0 && r.out.len == j->len &&
              memcmp(r.out.ptr, j->in, j->len) == 0;
    done(&r);
    return NULL;
}

static void test_processes(void)
{
    run r;
    /* 16 MB through cat: both pipes fill unless we write and read at once */
    size_t n = (size_t)16 * 1024 * 1024;
    char *in = big_input(n);
    sh(&r, "cat", in, n, 60, 0);
    CHECK(r.rc == 0 && r.res.status == 0 && !r.res.signal && !r.res.timed_out);
    CHECK(r.out.len == n && memcmp(r.out.ptr, in, n) == 0);
    done(&r);

    /* the same through stderr as well: a filter that chatters cannot block us either */
    sh(&r, "tee /dev/stderr", in, n, 60, 0);
    CHECK(r.rc == 0 && r.res.status == 0 && r.out.len == n);
    CHECK(r.err.len > 0 && r.err.len <= (size_t)128 * 1024);
    CHECK(memcmp(r.err.ptr + r.err.len - 100, in + n - 100, 100) == 0);
    done(&r);

    /* exits early without reading: no SIGPIPE for us, its output still counts */
    sh(&r, "head -c 10", in, n, 60, 0);
    CHECK(r.rc == 0 && r.res.status == 0 && r.out.len == 10);
    done(&r);
    sh(&r, "exit 0", in, n, 60, 0);
    CHECK(r.rc == 0 && r.res.status == 0 && r.out.len == 0);
    done(&r);

    /* two at once on two threads */
    job a = {in, n / 2, false}, b = {in + 1, n / 2, false};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, cat_job, &a);
    pthread_create(&tb, NULL, cat_job, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.same && b.same);
    free(in);

    sh(&r, "echo oops >&2; exit 3", "x", 1, 10, 0);
    CHECK(r.rc == 0 && r.res.status == 3 && !r.res.signal);
    CHECK_STR(nc_buf_cstr(&r.err), "oops\n");
    done(&r);

    sh(&r, "kill -SEGV $$", "", 0, 10, 0);
    CHECK(r.rc == 0 && r.res.signal == 11 && r.res.status == -1);
    done(&r);

    /* the deadline kills the whole group: the background sleep holds stdout open */
    sh(&r, "sleep 30 & sleep 30", "", 0, 0.3, 0);
    CHECK(r.rc == 0 && r.res.timed_out);
    CHECK(r.secs < 5);
    done(&r);
    /* one that closes its output but goes on running is stopped at the deadline too */
    sh(&r, "exec >&- 2>&-; sleep 30", "", 0, 0.3, 0);
    CHECK(r.rc == 0 && r.res.timed_out && r.secs < 5);
    done(&r);
    sh(&r, "sleep 0.2; echo late", "", 0, 0, 0);
    CHECK(r.rc == 0 && !r.res.timed_out && r.res.status == 0);
    CHECK_STR(nc_buf_cstr(&r.out), "late\n");
    done(&r);

    sh(&r, "while :; do echo yyyyyyyyyyyyyyyyyy; done", "", 0, 30, 100000);
    CHECK(r.rc == 0 && r.res.too_big && r.secs < 10);
    done(&r);

    const char *env[] = {"PANDOC_VERSION=9.9", "NC_TEST_VAR=x y", NULL};
    const char *argv[] = {"sh", "-c", "printf '%s|%s|%s' \"$PANDOC_VERSION\" \"$NC_TEST_VAR\" "
                                      "\"${HOME:+home}\"",
                          NULL};
    memset(&r, 0, sizeof r);
    r.rc = nc_proc_run(argv, env, NULL, 0, 10, 0, &r.out, &r.err, &r.res, &r.errnum);
    CHECK(r.rc == 0);
    CHECK_STR(nc_buf_cstr(&r.out), getenv("HOME") ? "9.9|x y|home" : "9.9|x y|");
    done(&r);

    const char *missing[] = {"nc-no-such-program-here", NULL};
    memset(&r, 0, sizeof r);
    r.rc = nc_proc_run(missing, NULL, "x", 1, 10, 0, &r.out, &r.err, &r.res, &r.errnum);
    CHECK(r.rc == -1 && r.errnum == ENOENT);
    done(&r);
}

static void test_find(void)
{
    char dir[] = "/tmp/nc-extfilter-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char py[256], plain[256], exe[256];
    snprintf(py, sizeof py, "%s/f.py", dir);
    snprintf(plain, sizeof plain, "%s/notexec", dir);
    snprintf(exe, sizeof exe, "%s/run.pl", dir);
    FILE *fp;
    const char *files[] = {py, plain, exe};
    for (int i = 0; i < 3; i++)
        if ((fp = fopen(files[i], "w")) != NULL) {
            fputs("#!/bin/sh\ncat\n", fp);
            fclose(fp);
        }
    chmod(py, 0755);
    chmod(exe, 0755);

    nc_buf path = NC_BUF_INIT;
    const char *argv[4];
    nc_diag *d = nc_diag_new();
    CHECK(nc_filter_program(py, &path, argv, d) == 0);
    CHECK_STR(argv[0], "python3");
    CHECK_STR(argv[1], py);
    CHECK(argv[2] == NULL);
    /* executable scripts of other kinds run themselves */
    CHECK(nc_filter_program(exe, &path, argv, d) == 0);
    CHECK_STR(argv[0], exe);
    CHECK(argv[1] == NULL);
    CHECK(nc_diag_count(d, NC_DIAG_ERROR) == 0);
    CHECK(nc_filter_program(plain, &path, argv, d) == -1);
    CHECK(strstr(nc_diag_get(d, 0)->message, "not executable") != NULL);
    CHECK(nc_filter_program("nc-surely-not-a-filter.py", &path, argv, d) == -1);
    CHECK(strstr(nc_diag_get(d, 1)->message, "filter 'nc-surely-not-a-filter.py' not found") !=
          NULL);
    /* found in $PATH, executables only */
    CHECK(nc_filter_program("sh", &path, argv, d) == 0);
    CHECK(argv[0][0] == '/' && strstr(argv[0], "/sh") != NULL);
    nc_buf_free(&path);
    nc_diag_free(d);
    for (int i = 0; i < 3; i++)
        remove(files[i]);
    rmdir(dir);
}

/* A note through the chain: html with an external filter (cat, or one that fails) against
 * html without; on two threads at once, each with its own document and chain. */
typedef struct conv {
    const char *prog;
    int rc;
    char *html;
    char *error;
} conv;

static const char note[] = "---\ntitle: 題名\n---\n# 見出し\n\n本文 *emph* [link](x.html).\n\n"
                           "- a\n- b\n";

static void *convert(void *arg)
{
    conv *c = arg;
    nc_doc *doc = nc_doc_new();
    nc_diag *d = nc_diag_new();
    nc_chain *chain = nc_chain_new();
    nc_options opt;
    nc_options_init(&opt);
    opt.target = "html";
    nc_buf out = NC_BUF_INIT;
    nc_chain_set_timeout(chain, 20);
    c->rc = nc_reader_find("markdown")->read(doc, note, strlen(note), "t.md", &opt, d);
    if (c->rc == 0 && c->prog)
        c->rc = nc_chain_add_program(chain, c->prog, d);
    if (c->rc == 0)
        c->rc = nc_chain_run(chain, doc, &opt, d);
    if (c->rc == 0)
        c->rc = nc_writer_find("html")->render(doc, &opt, &out, d);
    c->html = nc_xstrdup(nc_buf_cstr(&out));
    c->error = nc_xstrdup(nc_diag_count(d, NC_DIAG_ERROR) ? nc_diag_get(d, 0)->message : "");
    nc_buf_free(&out);
    nc_chain_free(chain);
    nc_diag_free(d);
    nc_doc_free(doc);
    return NULL;
}

static void test_chain(void)
{
    if (!nc_writer_find("json") || !nc_reader_find("json")) {
        printf("note: no pandoc JSON reader and writer: chain entries not tried\n");
        return;
    }
    char dir[] = "/tmp/nc-extfilter-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char ident[256];
    snprintf(ident, sizeof ident, "%s/ident", dir);
    FILE *fp = fopen(ident, "w");
    if (fp) {
        fputs("#!/bin/sh\n[ \"$1\" = html ] || exit 9\nexec cat\n", fp);
        fclose(fp);
    }
    chmod(ident, 0755);
    conv plain = {NULL, -1, NULL, NULL};
    convert(&plain);
    CHECK(plain.rc == 0 && strstr(plain.html, "<em>emph</em>") != NULL);
    conv c[4] = {{ident, -1, NULL, NULL},
                 {ident, -1, NULL, NULL},
                 {"false", -1, NULL, NULL},
                 {"nc-no-such-filter", -1, NULL, NULL}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, convert, &c[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    CHECK(c[0].rc == 0 && c[1].rc == 0);
    CHECK_STR(c[0].error, "");
    CHECK_STR(c[0].html, plain.html);
    CHECK_STR(c[1].html, plain.html);
    CHECK(c[2].rc == -1);
    CHECK_STR(c[2].error, "filter 'false' failed with exit status 1");
    CHECK(c[3].rc == -1);
    CHECK(strstr(c[3].error, "filter 'nc-no-such-filter' not found") == c[3].error);
    for (int i = 0; i < 4; i++) {
        free(c[i].html);
        free(c[i].error);
    }
    free(plain.html);
    free(plain.error);
    remove(ident);
    rmdir(dir);
}

static int api(const char *json, int *major, int *minor)
{
    *major = *minor = -1;
    return nc_pandoc_json_api(json, strlen(json), major, minor);
}

static void test_api(void)
{
    int ma, mi;
    CHECK(api("{\"pandoc-api-version\":[1,22,2,1],\"meta\":{},\"blocks\":[]}", &ma, &mi) == 0);
    CHECK(ma == 1 && mi == 22);
    CHECK(api(" { \"blocks\" : [ {\"t\":\"Para\",\"c\":[{\"t\":\"Str\",\"c\":\"a\\\"]}\"}]} ],"
              "\"meta\":{\"x\":[1,{\"y\":null}]}, \"pandoc-api-version\" : [ 1 , 23 ] }",
              &ma, &mi) == 0);
    CHECK(ma == 1 && mi == 23);
    CHECK(api("{\"blocks\":[],\"meta\":{}}", &ma, &mi) == -1);
    CHECK(api("[1,22]", &ma, &mi) == -1);
    CHECK(api("{\"pandoc-api-version\":\"1.22\"}", &ma, &mi) == -1);
    CHECK(api("{\"blocks\":[[[[", &ma, &mi) == -1);
    CHECK(api("{\"blocks\":]]], \"pandoc-api-version\":[1,22]}", &ma, &mi) == -1);
    CHECK(api("", &ma, &mi) == -1);
}

/* Open descriptors, or -1 where /proc is missing: every run must close all it opened. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int main(void)
{
    int fds = open_fds();
    test_processes();
    test_find();
    test_chain();
    CHECK(open_fds() == fds);
    test_api();
    return check_done();
}
