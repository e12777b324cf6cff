/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: the console on the host's standard input and output. */
#ifndef __HOST_CONSOLE_H
#define __HOST_CONSOLE_H

/**
 * host_console_open() - prepare stdin for the console's input
 *
 * stdin becomes non-blocking; a terminal is put in raw mode so that the
 * guest's line discipline does the editing, echo and signals.  Both are
 * undone when the process exits through host_exit().
 * Return: the descriptor to read (0), or a negative errno.
 */
int host_console_open(void);

/**
 * host_console_read() - read what the host has typed, without waiting
 * Return: bytes read, 0 at end of input, or a negative errno (-EAGAIN).
 */
long host_console_read(char *buf, unsigned long len);

/** host_console_restore() - give stdin back as it was found */
void host_console_restore(void);

#endif
