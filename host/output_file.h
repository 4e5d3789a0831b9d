/* output_file.h: how thirst writes a result file (--json, --csv, --html, --dump).
 * - A regular file, new or existing, also one reached through a symbolic link, is written to a
 *   temporary file in the directory of the file itself and renamed over it when complete: a
 *   failure or an interruption never leaves a partial file, and a symbolic link stays a link
 *   (its target gets the new content). An existing file keeps its permission bits (and its
 *   owner where allowed); it gets a new inode, so other hard links to it keep the old
 *   content. A writable file in a directory where no file can be created is written in place
 *   instead (not atomic).
 * - A device, FIFO or socket (/dev/null, a terminal, a named pipe) is written in place: no
 *   temporary file, no rename; a write error (/dev/full) is reported. So is the file behind
 *   standard output or error (--json /dev/stdout, also when the shell redirected stdout to a
 *   regular file), through that descriptor, after what it already holds. Such output cannot
 *   be atomic: a failure part-way leaves what was written.
 * - Temporary files are listed in a process-wide table that output_file_remove_temporaries()
 *   (async-signal-safe, for a signal handler) empties from the disk. Slots are claimed by one
 *   thread, on which the handler must run. */
#ifndef THIRST_OUTPUT_FILE_H
#define THIRST_OUTPUT_FILE_H

#include <stddef.h>
#include <stdio.h>

/* An output being written. */
typedef struct {
    FILE *stream;          /* write here */
    const char *name;      /* the path as the user gave it (messages) */
    char *target;          /* the file that receives the content (symbolic links resolved) */
    char *temporary;       /* the temporary file, NULL when written in place */
    int slot;              /* entry in the temporary-file table, -1 when none */
} output_file;

/* Open path for writing (see above); THIRST_ERR_RUNTIME with a message naming path when it
 * cannot be written (a directory, a dangling link, no permission, a missing directory). */
int output_file_open(output_file *f, const char *path, char *err, size_t errlen);

/* Finish: flush, close and move the temporary file into place. On failure (a write error,
 * e.g. a full disk) the temporary file is removed and the target left as it was. */
int output_file_commit(output_file *f, char *err, size_t errlen);

/* Give up: close and remove the temporary file (the target is left as it was). */
void output_file_abort(output_file *f);

/* Write n bytes of text to path as above. */
int output_file_write(const char *path, const char *text, size_t n, char *err, size_t errlen);

/* 1 when paths a and b name the same file (after resolving ., .., symbolic links and hard
 * links), for refusing two outputs into one file; 0 otherwise, also when either cannot be
 * resolved. Two names of one device (e.g. /dev/null) count as different: writing both is
 * harmless. */
int output_file_same(const char *a, const char *b);

/* Remove every temporary file still listed; async-signal-safe (unlink only). */
void output_file_remove_temporaries(void);

#endif
