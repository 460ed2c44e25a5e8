/* Foreground processes: forward signals, relay a terminal, wait for the exit status. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_FOREGROUND_H
#define BWRUN_FOREGROUND_H

#include <signal.h>
#include <sys/types.h>

/* Blocks the forwarded signals (SIGCHLD included) and returns a signalfd for them.
 * Call before creating the child so no SIGCHLD is lost; children must unblock. */
int fg_block_signals(sigset_t *old);
/* Forwards signals to PID, relays MASTER (or -1) to stdio; returns the exit status
 * (128+signal when killed). */
int fg_wait(pid_t pid, int sfd, int master);
int fg_status_of(int wstatus);

#endif
