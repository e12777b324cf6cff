/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two link maps of the kernel have in common: the executable's
 * (vmlinux.lds.S) and the library's relocatable object
 * (liblinux/liblinux.lds.S).  Both lay out the same kernel text, the same
 * command-line option table and the same debug sections; only the frame
 * around them differs.  Included after asm-generic/vmlinux.lds.h, whose
 * macros these use.
 */
#ifndef __UM_UML_LDS_H
#define __UM_UML_LDS_H

#define UML_OUTPUT							\
	OUTPUT_FORMAT("elf64-x86-64", "elf64-x86-64", "elf64-x86-64")	\
	OUTPUT_ARCH(i386:x86-64)

/* the input sections of the kernel's text, in this order */
#define UML_TEXT							\
	HEAD_TEXT							\
	TEXT_TEXT							\
	SCHED_TEXT							\
	LOCK_TEXT							\
	KPROBES_TEXT							\
	IRQENTRY_TEXT							\
	SOFTIRQENTRY_TEXT						\
	ENTRY_TEXT							\
	*(.stub .gnu.linkonce.t.*)

/* after RO_DATA: the odd read-only bits and the __uml_setup() table */
#define UML_OPTIONS							\
	.rodata1	: { *(.rodata1) }				\
	.uml.options	: {						\
		__uml_options_start = .;				\
		KEEP(*(.uml.options))					\
		__uml_options_end = .;					\
	}

#define UML_DEBUG							\
	STABS_DEBUG							\
	DWARF_DEBUG							\
	ELF_DETAILS

/* the first entries of /DISCARD/ */
#define UML_DISCARDS							\
	*(.exitcall.exit)						\
	*(.discard) *(.discard.*)

#endif /* __UM_UML_LDS_H */
