/* The management console on COM1: line editor, history, completion, command table. */
/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_CONSOLE_H
#define KERNEL_CONSOLE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_PROMPT "bulwark> "
#define CONSOLE_LINE_MAX 255

/* Sets where console output goes (the serial port in the kernel, a buffer in tests) and prints the first prompt. */
void console_init(void (*write)(const char *buf, size_t len));
/* Feeds bytes typed by the operator; runs a command when a line is complete. Never fails on any byte. */
void console_input(const uint8_t *buf, size_t len);
/* Output for commands. */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *buf, size_t len);
/* Guest bytes shown outside attach mode: printable ASCII, tab and newline pass, CR is dropped, the rest is \xNN. */
void console_write_neutralised(const uint8_t *buf, size_t n);

/*
 * Attach mode (e.g. `vm console NAME`): while attached, every byte from
 * console_input() goes to `input` untouched (one byte per call) instead of
 * the line editor.
 * console_detach() returns to the line editor and prints a fresh prompt; it
 * may be called from inside `input`, and the bytes after the one that made
 * `input` detach go to the line editor.
 */
typedef void (*console_input_fn)(void *ctx, const uint8_t *buf, size_t len);
void console_attach(console_input_fn input, void *ctx);
void console_detach(void);
/*
 * Sets a function run after every command, before the next prompt: the
 * kernel prints log lines that arrived meanwhile, so they never cut into a
 * command's output or the line being typed (like a shell's job notices).
 */
void console_set_notice_hook(void (*hook)(void));
/*
 * Sends command output to `sink` instead of the terminal while set (NULL restores
 * the terminal): the management API runs the console's own commands this way, so
 * both front ends share one implementation of every operation. Captured bytes are
 * passed as the command wrote them (no CR added before LF).
 */
void console_capture(void (*sink)(void *ctx, const char *buf, size_t len), void *ctx);
/* Whether output is being captured (a command run for the API): guest output must not join it. */
bool console_capturing(void);
/* Reprints the prompt and the line being typed, after output that was not a command's. */
void console_redraw(void);

#endif
