/* stage_time.c — times the stages of one conversion through the library (read, default
 * filters, render with a named writer) for the benchmarks; best of N runs each. It measures,
 * it does not check output. Usage: stage_time WRITER FILE [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "noteconv/noteconv.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: stage_time WRITER FILE [RUNS]\n");
        return 2;
    }
    const nc_writer *w = nc_writer_find(argv[1]);
    if (!w) {
        fprintf(stderr, "stage_time: no writer %s\n", argv[1]);
        return 2;
    }
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    nc_diag *diag = nc_diag_new();
    char *data;
    size_t len;
    if (nc_read_file(argv[2], &data, &len, 0, diag) != 0) {
        fprintf(stderr, "stage_time: cannot read %s\n", argv[2]);
        return 1;
    }
    double best[3] = {1e300, 1e300, 1e300};
    size_t out_len = 0;
    for (int r = 0; r < runs; r++) {
        nc_options opt;
        nc_options_init(&opt);
        opt.target = w->name;
        nc_doc *doc = nc_doc_new();
        nc_chain *chain = nc_chain_new();
        nc_buf out = NC_BUF_INIT;
        double t0 = now_ms();
        int rc = nc_reader_find("markdown")->read(doc, data, len, argv[2], &opt, diag);
        double t1 = now_ms();
        rc |= nc_chain_run(chain, doc, &opt, diag);
        double t2 = now_ms();
        rc |= w->render(doc, &opt, &out, diag);
        double t3 = now_ms();
        if (rc) {
            fprintf(stderr, "stage_time: the conversion failed\n");
            return 1;
        }
        double t[3] = {t1 - t0, t2 - t1, t3 - t2};
        for (int i = 0; i < 3; i++)
            if (t[i] < best[i])
                best[i] = t[i];
        out_len = out.len;
        nc_buf_free(&out);
        nc_chain_free(chain);
        nc_doc_free(doc);
    }
    printf("read %.1f ms, filters %.1f ms, %s %.1f ms (%zu bytes out)\n", best[0], best[1],
           w->name, best[2], out_len);
    free(data);
    nc_diag_free(diag);
    return 0;
}
