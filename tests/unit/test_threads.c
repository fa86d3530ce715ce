/* test_threads.c — conversions on several threads at once give what one thread gives: the
 * reader (cmark-gfm keeps a global table of special characters), HTML and the dependency list.
 * Each thread converts the same note many times and counts what it finds. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

enum { THREADS = 4, ROUNDS = 400, LINKS = 40 };

static char note[16384];

typedef struct result {
    int bad_links;  /* rounds that found a number of links other than LINKS */
    int bad_html;   /* rounds whose HTML differs from the first round's */
    int bad_deps;
} result;

static size_t links(const nc_doc *doc)
{
    size_t n = 0;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE)
        if (ev == NC_EV_ENTER && nc_iter_node(&it)->kind == NC_LINK)
            n++;
    return n;
}

static void *convert(void *arg)
{
    result *r = arg;
    nc_options opt;
    nc_options_init(&opt);
    nc_buf first = NC_BUF_INIT;
    for (int i = 0; i < ROUNDS; i++) {
        nc_doc *doc = nc_doc_new();
        nc_diag *diag = nc_diag_new();
        nc_reader_markdown.read(doc, note, strlen(note), "t.md", &opt, diag);
        nc_doc_add_dependency(doc, "t.md");
        if (links(doc) != LINKS)
            r->bad_links++;
        nc_buf out = NC_BUF_INIT;
        nc_writer_html.render(doc, &opt, &out, diag);
        if (i == 0)
            nc_buf_put(&first, out.ptr, out.len);
        else if (out.len != first.len || memcmp(out.ptr, first.ptr, out.len) != 0)
            r->bad_html++;
        if (nc_doc_dependency_count(doc) != 1 || strcmp(nc_doc_dependency_at(doc, 0), "t.md") ||
            nc_doc_dependency_at(doc, 1) != NULL)
            r->bad_deps++;
        nc_buf_free(&out);
        nc_diag_free(diag);
        nc_doc_free(doc);
    }
    nc_buf_free(&first);
    return NULL;
}

int main(void)
{
    /* bare autolinks (the extension's ':' and 'w' special characters) between plain text */
    char *p = note;
    for (int i = 0; i < LINKS; i++)
        p += sprintf(p, "text %d, see https://example.com/%d and ~~old~~ text.\n\n", i, i);
    pthread_t t[THREADS];
    result r[THREADS] = {{0}};
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, convert, &r[i]) == 0);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK(r[i].bad_links == 0);
        CHECK(r[i].bad_html == 0);
        CHECK(r[i].bad_deps == 0);
        if (r[i].bad_links)
            fprintf(stderr, "thread %d: %d of %d rounds lost autolinks\n", i, r[i].bad_links,
                    ROUNDS);
    }
    return check_done();
}
