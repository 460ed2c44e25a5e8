/* Signal names ("KILL", "SIGKILL", "9") to numbers: bwrun kill and the guest agent's kill request. */
/* SPDX-License-Identifier: MIT */
#ifndef BWRUN_SIGNALS_H
#define BWRUN_SIGNALS_H

/* The highest signal number: Linux's SIGRTMAX (signal(7), _NSIG - 1 on x86-64). */
#define SIGNAL_MAX 64

/* A number 1..SIGNAL_MAX in decimal digits only (no sign, space or suffix), or a name with or
 * without "SIG" in any case. Returns the signal number, or -1 if NAME is neither. */
int signal_parse(const char *name);

#endif
