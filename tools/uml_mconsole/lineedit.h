/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small line editor with history for interactive terminal prompts.
 */
#ifndef _LINEEDIT_H
#define _LINEEDIT_H

#include <stddef.h>

/**
 * le_readline() - read one line from a terminal with editing
 * @prompt: text shown in front of the line.
 * @buf: where the line goes, NUL-terminated, without the newline.
 * @size: size of @buf; input beyond @size - 1 bytes is refused (bell).
 *
 * Standard input and output must be a terminal; the terminal is put in raw
 * mode while the line is being edited and restored before returning, also
 * when the process gets SIGTERM or SIGHUP meanwhile.  Emacs-style keys are
 * understood (arrows, Home/End, Delete, ^A ^E ^B ^F ^D ^H ^K ^U ^W ^L ^T,
 * ^P/^N and Up/Down for history, Tab for completion, see le_set_words()).
 * ^C abandons the line.
 *
 * Return: length of the line, -1 at end of input (^D on an empty line or
 * a read error), -2 when the line was abandoned with ^C.
 */
int le_readline(const char *prompt, char *buf, size_t size);

/**
 * le_set_words() - words that Tab completes at the start of a line
 * @words: a NULL-terminated array that must stay valid while in use, or
 *	NULL for no completion.  A unique match is completed (with a space
 *	after it); several matches are completed as far as they agree, and a
 *	second Tab lists them.
 */
void le_set_words(const char *const *words);

/**
 * le_history_add() - remember a line for recall with Up and ^P
 * @line: the line; empty lines and repeats of the newest entry are not
 *	stored.  The history keeps the newest %LE_HISTORY_MAX entries.
 */
void le_history_add(const char *line);

/**
 * le_history_free() - forget all history and release its memory
 */
void le_history_free(void);

#define LE_HISTORY_MAX	500

#endif /* _LINEEDIT_H */
