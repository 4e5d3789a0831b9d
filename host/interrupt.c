/* interrupt.c: the handler of SIGINT, SIGTERM and SIGHUP (interrupt.h). Only async-signal-safe
 * calls in the handler. */
#include "interrupt.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "output_file.h"

static volatile sig_atomic_t stopping, received;
static pthread_t main_thread;   /* the thread that writes outputs (output_file.h) */

/* Stopping: note the first signal (any thread: the pass sees it after its segment). Else, or
 * on a second: remove the temporary files of outputs being written, say so, and die of the
 * same signal, so that the exit status (128 + signal in a shell) says the run was interrupted.
 * A signal delivered to an OpenMP worker is passed to the main thread, so that the cleanup runs
 * where files are created and no file can be created between the cleanup and the end. */
static void on_interrupt(int signal_number)
{
    if (stopping && !received) {
        received = signal_number;
        return;
    }
    if (!pthread_equal(pthread_self(), main_thread)) {
        pthread_kill(main_thread, signal_number);
        return;
    }
    output_file_remove_temporaries();
    static const char message[] = "\nthirst: interrupted; unfinished output files removed\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

/* nohup ignores SIGHUP; a shell starts background jobs with SIGINT ignored: those stay so. */
void interrupt_install(void)
{
    main_thread = pthread_self();
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (int k = 0; k < 3; k++) {
        struct sigaction current;
        if (sigaction(signals[k], NULL, &current) == 0 && current.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_interrupt;
        action.sa_flags = SA_RESTART;   /* the run goes on after a first signal: no EINTR */
        sigemptyset(&action.sa_mask);
        sigaction(signals[k], &action, NULL);
    }
}

volatile sig_atomic_t *interrupt_stop_flag(void)
{
    stopping = 1;
    return &received;
}

int interrupt_received(void) { return received; }

void interrupt_die(void)
{
    output_file_remove_temporaries();
    const int signal_number = received ? received : SIGTERM;
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}
