/* interrupt.h: what SIGINT, SIGTERM and SIGHUP do to a thirst process. By default each removes
 * the temporary files of outputs being written (output_file.h), says so and ends the process by
 * the same signal. Once a command checkpoints (interrupt_stop_flag), the first such signal only
 * asks the pass to stop after its segment (checkpoint.h stop); the command then ends the
 * process with interrupt_die. */
#ifndef THIRST_INTERRUPT_H
#define THIRST_INTERRUPT_H

#include <signal.h>

/* Handle the three signals (except those the caller ignores); call from the thread that writes
 * outputs. */
void interrupt_install(void);

/* Switch to stopping: the first signal sets the returned flag (to the signal's number) instead
 * of ending the process; a second ends it at once. */
volatile sig_atomic_t *interrupt_stop_flag(void);

/* The signal that asked a checkpointing command to stop, or 0. */
int interrupt_received(void);

/* Remove the temporary output files and end the process by the signal received (SIGTERM when
 * none was: an MPI rank stopped because another was signalled dies as that one does). */
void interrupt_die(void);

#endif
