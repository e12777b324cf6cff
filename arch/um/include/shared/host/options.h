/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options of the port, checked before the kernel starts.
 *
 * Each option is declared once, next to the code that uses it, with
 * UML_OPTION().  main() checks every argument that matches an option and
 * stops with the checker's message, naming the option, when it fails;
 * --help prints the table.  The kernel itself then parses the same
 * arguments with __setup()/early_param() as usual.
 */
#ifndef __HOST_OPTIONS_H
#define __HOST_OPTIONS_H

/**
 * struct uml_option - one option of the port
 * @name:  "mem=" (value follows) or "ubd" (matches ubd0=, ubd1r=, ...)
 * @usage: how to write it, for --help
 * @help:  one line
 * @check: NULL, or returns NULL when the argument is good, else a message
 */
struct uml_option {
	const char *name;
	const char *usage;
	const char *help;
	const char *(*check)(const char *arg);
};

#define UML_OPTION(id, n, u, h, c)					\
	static const struct uml_option __uml_option_##id		\
	__attribute__((used, section(".uml.options"), aligned(8))) =	\
		{ .name = n, .usage = u, .help = h, .check = c }

extern const struct uml_option __uml_options_start[], __uml_options_end[];

#endif
