/* io.c — reading inputs and writing outputs safely: a temporary file in the output's folder,
 * then a rename, so that no failure leaves a half-written file. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int nc_read_file(const char *path, char **data, size_t *len, size_t max_size, nc_diag *diag)
{
    nc_pos pos = {path, 0, 0};
    if (max_size == 0)
        max_size = NC_DEFAULT_MAX_INPUT;
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
    if (fd < 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        nc_diag_report(diag, NC_DIAG_ERROR, &pos, "is a directory, not a note");
        if (fd != STDIN_FILENO)
            close(fd);
        return -1;
    }
    nc_buf b = NC_BUF_INIT;
    if (fd != STDIN_FILENO && S_ISREG(st.st_mode) && (size_t)st.st_size <= max_size)
        nc_buf_reserve(&b, (size_t)st.st_size + 1);
    for (;;) {
        /* a regular file's room was made above: growing it again to learn that it is at its
           end would move it */
        if (b.cap - b.len <= 1)
            nc_buf_grow(&b, 65536);
        ssize_t n = read(fd, b.ptr + b.len, b.cap - b.len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot read: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            if (fd != STDIN_FILENO)
                close(fd);
            b.ptr[b.len] = '\0';
            *data = nc_buf_detach(&b, len);
            return 0;
        }
        b.len += (size_t)n;
        if (b.len > max_size) {
            nc_diag_report(diag, NC_DIAG_ERROR, &pos,
                           "input is larger than the limit of %zu bytes", max_size);
            break;
        }
    }
    if (fd != STDIN_FILENO)
        close(fd);
    nc_buf_free(&b);
    return -1;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int nc_write_file(const char *path, const void *data, size_t len, nc_diag *diag)
{
    return nc_write_file_watched(path, data, len, NULL, NULL, diag);
}

int nc_write_file_watched(const char *path, const void *data, size_t len, nc_tmp_watch watch,
                          void *user, nc_diag *diag)
{
    nc_pos pos = {path, 0, 0};
    if (strcmp(path, "-") == 0) {
        if (write_all(STDOUT_FILENO, data, len) != 0) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL, "cannot write to standard output: %s",
                           strerror(errno));
            return -1;
        }
        return 0;
    }
    /* a device such as /dev/null or /dev/full is written to directly: it cannot be renamed */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot write: is a directory");
            return -1;
        }
        int fd = open(path, O_WRONLY);
        if (fd < 0 || write_all(fd, data, len) != 0 || close(fd) != 0) {
            nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot write: %s", strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        return 0;
    }
    /* the temporary file gets the output's permissions under the umask (mkstemp would make
     * it 0600, and changing the umask is process-wide) */
    static _Atomic unsigned long seq;
    nc_buf tmp = NC_BUF_INIT;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
    int fd = -1;
    for (int tries = 0; tries < 100 && fd < 0; tries++) {
        nc_buf_clear(&tmp);
        nc_buf_put(&tmp, path, dirlen);
        nc_buf_printf(&tmp, ".%s.%ld-%lu.tmp", base, (long)getpid(), (unsigned long)seq++);
        /* told before the file exists, so that no moment has a file nobody knows of */
        if (watch)
            watch(tmp.ptr, user);
        fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && watch)
            watch(NULL, user);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot write: %s", strerror(errno));
        nc_buf_free(&tmp);
        return -1;
    }
    int err = 0;
    if (write_all(fd, data, len) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp.ptr, path) != 0)
        err = errno;
    if (err)
        unlink(tmp.ptr);
    if (watch)
        watch(NULL, user);
    if (err) {
        nc_diag_report(diag, NC_DIAG_ERROR, &pos, "cannot write: %s", strerror(err));
        nc_buf_free(&tmp);
        return -1;
    }
    nc_buf_free(&tmp);
    return 0;
}

void nc_options_init(nc_options *o)
{
    memset(o, 0, sizeof *o);
}

const char *nc_options_var(const nc_options *o, const char *key)
{
    for (size_t i = o->nvars; i > 0; i--)
        if (strcmp(o->vars[i - 1].key, key) == 0)
            return o->vars[i - 1].value;
    return NULL;
}
