/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDSO shared object: one read-and-execute segment, with the data
 * pages (the [vvar] mapping, kernel/vdso.c) right below its first byte.
 */
#include <asm/vdso.h>

OUTPUT_FORMAT("elf64-x86-64", "elf64-x86-64", "elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)

SECTIONS
{
	uml_vdso_data = . - UML_VVAR_PAGES * 4096;
	uml_vdso_timens = uml_vdso_data + 4096;

	. = SIZEOF_HEADERS;

	.hash		: { *(.hash) }			:text
	.gnu.hash	: { *(.gnu.hash) }
	.dynsym		: { *(.dynsym) }
	.dynstr		: { *(.dynstr) }
	.gnu.version	: { *(.gnu.version) }
	.gnu.version_d	: { *(.gnu.version_d) }
	.gnu.version_r	: { *(.gnu.version_r) }
	.dynamic	: { *(.dynamic) }		:text	:dynamic
	.rodata		: {
		*(.rodata .rodata.*)
		*(.data .data.* .bss .bss.*)
		*(.got.plt) *(.got)
	}						:text
	.note		: { *(.note.*) }		:text	:note
	.eh_frame_hdr	: { *(.eh_frame_hdr) }		:text	:eh_frame_hdr
	.eh_frame	: { KEEP(*(.eh_frame)) }	:text
	.text		: { *(.text .text.*) }		:text
	/DISCARD/	: { *(.discard .discard.* .comment) }
}

PHDRS
{
	text		PT_LOAD		FLAGS(5) FILEHDR PHDRS;	/* R X */
	dynamic		PT_DYNAMIC	FLAGS(4);		/* R */
	note		PT_NOTE		FLAGS(4);		/* R */
	eh_frame_hdr	PT_GNU_EH_FRAME;
}

/* the names and version x86_64 C libraries look up */
VERSION
{
	LINUX_2.6 {
	global:
		clock_gettime;
		__vdso_clock_gettime;
		gettimeofday;
		__vdso_gettimeofday;
		getcpu;
		__vdso_getcpu;
		time;
		__vdso_time;
		clock_getres;
		__vdso_clock_getres;
	local: *;
	};
}
