/* test_resolve.c — the path helpers that the resources and link-rewrite filters share
 * (src/resolve.c): a file's path from a folder, and a path written as a URL. The image lookup
 * itself is tested in test_image.c, where the PDF writer's tests have always held it. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static char *rel(const char *dir, const char *file)
{
    nc_buf b = NC_BUF_INIT;
    nc_path_relative(dir, file, &b);
    return nc_buf_detach(&b, NULL);
}

static char *enc(const char *s)
{
    nc_buf b = NC_BUF_INIT;
    nc_url_encode_path(s, &b);
    return b.ptr ? nc_buf_detach(&b, NULL) : nc_xstrdup("");
}

#define REL(d, f, want)                                                                    \
    do {                                                                                   \
        char *got_ = rel(d, f);                                                            \
        CHECK_STR(got_, want);                                                             \
        free(got_);                                                                        \
    } while (0)

#define ENC(s, want)                                                                       \
    do {                                                                                   \
        char *got_ = enc(s);                                                               \
        CHECK_STR(got_, want);                                                             \
        free(got_);                                                                        \
    } while (0)

int main(void)
{
    REL("/a/b", "/a/b/c.png", "c.png");
    REL("/a/b", "/a/b/d/c.png", "d/c.png");
    REL("/a/b", "/a/c.png", "../c.png");
    REL("/a/b/c", "/x/y.png", "../../../x/y.png");
    /* a shared prefix that is not a whole component is not shared */
    REL("/a/b", "/a/bc/x.png", "../bc/x.png");
    REL("/a/bc", "/a/b/x.png", "../b/x.png");
    REL("/", "/x.png", "x.png");
    REL("/", "/a/x.png", "a/x.png");
    REL("/a", "/b", "../b");
    REL("/home/u/写真", "/home/u/写真/猫.jpg", "猫.jpg");

    ENC("a b/c%d?e#f", "a%20b/c%25d%3Fe%23f");
    ENC("写真/猫 1.jpg", "写真/猫%201.jpg");
    ENC("\"<>\\^`{|}", "%22%3C%3E%5C%5E%60%7B%7C%7D");
    ENC("tab\there\x7f", "tab%09here%7F");
    ENC("plain/path-_.~!$&'()*+,;=:@.png", "plain/path-_.~!$&'()*+,;=:@.png");
    ENC("", "");
    return check_done();
}
