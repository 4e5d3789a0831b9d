/* output_file.c: atomic result files, in-place writes to devices and FIFOs, and the table of
 * temporary files that a signal handler removes. */
#include "output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"

/* Temporary files that exist now: at most a few outputs are open at once. A slot is claimed
 * (name copied, then in_use set) before the file is created, so a signal at any moment finds
 * every file this process may have made; names carry the process id, so no other process
 * makes the same name. */
#define TEMPORARY_SLOTS 8
static char temporary_names[TEMPORARY_SLOTS][PATH_MAX];
static volatile sig_atomic_t temporary_in_use[TEMPORARY_SLOTS];
/* The handler runs on the thread that claims slots (main.c forwards signals to the main thread),
 * so a signal fence orders the name before the flag. */

void output_file_remove_temporaries(void)
{
    for (int k = 0; k < TEMPORARY_SLOTS; k++)
        if (temporary_in_use[k]) unlink(temporary_names[k]);
}

/* Claim a slot for name; -1 when all are taken or the name is too long. */
static int claim_slot(const char *name)
{
    size_t length = strlen(name);
    if (length >= PATH_MAX) return -1;
    for (int k = 0; k < TEMPORARY_SLOTS; k++)
        if (!temporary_in_use[k]) {
            memcpy(temporary_names[k], name, length + 1);
            atomic_signal_fence(memory_order_seq_cst);
            temporary_in_use[k] = 1;
            return k;
        }
    return -1;
}

static void release_slot(int slot)
{
    if (slot >= 0) temporary_in_use[slot] = 0;
}

/* The directory part of path ("." when it has none), newly allocated. */
static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    size_t length = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(length + 1);
    if (!dir) return NULL;
    memcpy(dir, path, length);
    dir[length] = '\0';
    return dir;
}

/* Create a new temporary file in the directory of target, mode 0666 less the umask; fills
 * f->temporary, f->slot, and returns its descriptor, or -1 with errno set. */
static int create_temporary(output_file *f, const char *target)
{
    char *dir = directory_of(target);
    if (!dir) return -1;
    size_t size = strlen(dir) + 64;
    f->temporary = malloc(size);
    if (!f->temporary) {
        free(dir);
        errno = ENOMEM;
        return -1;
    }
    static unsigned counter = 0;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(f->temporary, size, "%s/.thirst-%ld-%u.tmp", dir, (long)getpid(), counter++);
        f->slot = claim_slot(f->temporary);
        if (f->slot < 0) {
            errno = ENAMETOOLONG;
            break;
        }
        fd = open(f->temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            int saved = errno;
            release_slot(f->slot);
            f->slot = -1;
            errno = saved;
            if (saved != EEXIST) break;
        }
    }
    free(dir);
    if (fd < 0) {
        int saved = errno;
        free(f->temporary);
        f->temporary = NULL;
        errno = saved;
    }
    return fd;
}

int output_file_open(output_file *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->name = path;
    f->slot = -1;
    struct stat st;
    int fd, existing = 0;
    if (stat(path, &st) == 0) {
        /* The file behind standard output or error (--json /dev/stdout, also when that is a
         * regular file): written through that descriptor, after what is already there, never
         * replaced. */
        for (int standard = STDOUT_FILENO; standard <= STDERR_FILENO; standard++) {
            struct stat open_file;
            if (fstat(standard, &open_file) != 0 || open_file.st_dev != st.st_dev ||
                open_file.st_ino != st.st_ino)
                continue;
            fflush(standard == STDOUT_FILENO ? stdout : stderr);
            fd = dup(standard);
            f->stream = fd >= 0 ? fdopen(fd, "wb") : NULL;
            if (!f->stream) {
                if (fd >= 0) close(fd);
                return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                                   strerror(errno));
            }
            return THIRST_OK;
        }
        if (S_ISDIR(st.st_mode))
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: is a directory",
                               path);
        if (!S_ISREG(st.st_mode)) {
            /* A device, FIFO or socket: written in place (opening a FIFO waits for a reader). */
            fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
            if (fd < 0)
                return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                                   strerror(errno));
            f->stream = fdopen(fd, "wb");
            if (!f->stream) {
                close(fd);
                return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
            }
            return THIRST_OK;
        }
        /* A regular file, perhaps through symbolic links: replace the file they lead to. */
        existing = 1;
        f->target = realpath(path, NULL);
        if (!f->target)
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                               strerror(errno));
    } else {
        int missing = errno == ENOENT;
        struct stat link;
        if (missing && lstat(path, &link) == 0 && S_ISLNK(link.st_mode))
            return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                               "%s: cannot write: a symbolic link to a file that does not exist; "
                               "give the target's path", path);
        if (!missing)
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                               strerror(errno));
        f->target = strdup(path);
        if (!f->target) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    fd = create_temporary(f, f->target);
    int directory_closed = fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS);
    if (fd < 0 && existing && directory_closed && access(f->target, W_OK) == 0) {
        /* A writable file in a directory thirst cannot create files in: written in place (not
         * atomic: a failure part-way leaves part of the new content). */
        fd = open(f->target, O_WRONLY | O_TRUNC | O_CLOEXEC);
        free(f->target);
        f->target = NULL;
        if (fd >= 0 && !(f->stream = fdopen(fd, "wb"))) close(fd);
        if (f->stream) return THIRST_OK;
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                           strerror(errno));
    }
    if (fd < 0) {
        int status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                                 strerror(errno));
        free(f->target);
        f->target = NULL;
        return status;
    }
    /* An existing file keeps its permission bits, and its owner and group where this process
     * may give them (root, or the owner itself). */
    if (existing) {
        if (fchown(fd, st.st_uid, st.st_gid) != 0) { /* not allowed: the file becomes ours */ }
        (void)fchmod(fd, st.st_mode & 07777);
    }
    f->stream = fdopen(fd, "wb");
    if (!f->stream) {
        close(fd);
        output_file_abort(f);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    }
    return THIRST_OK;
}

void output_file_abort(output_file *f)
{
    if (f->stream) fclose(f->stream);
    f->stream = NULL;
    if (f->temporary) unlink(f->temporary);
    release_slot(f->slot);
    f->slot = -1;
    free(f->temporary);
    free(f->target);
    f->temporary = f->target = NULL;
}

int output_file_commit(output_file *f, char *err, size_t errlen)
{
    int failed = ferror(f->stream) != 0;
    int saved = failed ? EIO : 0;
    if (fflush(f->stream) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (fclose(f->stream) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    f->stream = NULL;
    if (!failed && f->temporary && rename(f->temporary, f->target) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        int status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", f->name,
                                 strerror(saved));
        output_file_abort(f);
        return status;
    }
    release_slot(f->slot);
    f->slot = -1;
    free(f->temporary);
    free(f->target);
    f->temporary = f->target = NULL;
    return THIRST_OK;
}

int output_file_write(const char *path, const char *text, size_t n, char *err, size_t errlen)
{
    output_file f;
    int status = output_file_open(&f, path, err, errlen);
    if (status) return status;
    if (fwrite(text, 1, n, f.stream) != n) {
        status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                             strerror(errno));
        output_file_abort(&f);
        return status;
    }
    return output_file_commit(&f, err, errlen);
}

/* A key that names the file path refers to: "i DEV INO" for an existing regular file, "d DEV
 * INO" for an existing non-regular one, else "p" + the resolved directory + "/" + the last
 * component; NULL when it cannot be resolved. */
static char *file_key(const char *path)
{
    struct stat st;
    char *key = NULL;
    if (stat(path, &st) == 0) {
        key = malloc(64);
        if (key)
            snprintf(key, 64, "%c %llu %llu", S_ISREG(st.st_mode) ? 'i' : 'd',
                     (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
        return key;
    }
    char *dir = directory_of(path);
    char *resolved = dir ? realpath(dir, NULL) : NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (resolved) {
        size_t size = strlen(resolved) + strlen(base) + 3;
        key = malloc(size);
        if (key) snprintf(key, size, "p%s/%s", resolved, base);
    }
    free(dir);
    free(resolved);
    return key;
}

int output_file_same(const char *a, const char *b)
{
    char *key_a = file_key(a), *key_b = file_key(b);
    int same = key_a && key_b && key_a[0] != 'd' && strcmp(key_a, key_b) == 0;
    free(key_a);
    free(key_b);
    return same;
}
