/* status.h: status codes every library function returns (only host/main.c turns them into
 * exit codes) and the error-message convention: a function that fails fills err (one line,
 * no trailing newline) and returns a non-zero status. */
#ifndef THIRST_STATUS_H
#define THIRST_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum thirst_status {
    THIRST_OK = 0,
    THIRST_ERR_RUNTIME = 1,   /* a failure while running: I/O, memory, a model result */
    THIRST_ERR_INPUT = 2,     /* a malformed scenario, flag or value: the user can fix it */
    THIRST_ERR_DEVICE = 3,    /* the device failed (a CUDA error, its memory, a check of what
                                 it returned): the one failure --backend auto retries on the
                                 CPU; exits 1, as a runtime failure */
    THIRST_ERR_INTERRUPTED = 4   /* a signal asked the run to stop (runner.h stop); main dies
                                    of that signal, so the exit status says so */
};

#define THIRST_ERR_LEN 512

/* Escape control characters and bytes that are not UTF-8 in text, in place (newline -> \\n,
 * others -> \\xHH), so that a message quoting user input stays one line of valid UTF-8;
 * truncates to size. */
void status_one_line(char *text, size_t size);

/* Fill err (capacity errlen) printf-style, on one line, and return status. */
int status_fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#ifdef __cplusplus
}
#endif

#endif
