/* Signal names ("KILL", "SIGKILL", "9") to numbers. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SIGNALS_H
#define BWRUN_SIGNALS_H

/* Returns the signal number, or -1 if NAME is not a signal. */
int signal_parse(const char *name);

#endif
