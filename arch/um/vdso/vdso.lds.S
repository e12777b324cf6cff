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

	/* the dynamic linker's tables first, then data, unwind info, code */
	. = SIZEOF_HEADERS;
	.dynsym		: { *(.dynsym) }	:text
	.dynstr		: { *(.dynstr) }	:text
	.hash		: { *(.hash) }		:text
	.gnu.hash	: { *(.gnu.hash) }	:text
	.gnu.version	: { *(.gnu.version) }	:text
	.gnu.version_d	: { *(.gnu.version_d) }	:text
	.gnu.version_r	: { *(.gnu.version_r) }	:text
	.dynamic	: { *(.dynamic) }	:text :dynamic
	.rodata		: { *(.rodata*) *(.data*) *(.bss*) *(.got*) }	:text
	.note		: { *(.note.*) }	:text :note
	.eh_frame_hdr	: { *(.eh_frame_hdr) }	:text :eh_frame_hdr
	.eh_frame	: { KEEP(*(.eh_frame)) }	:text
	.text		: { *(.text*) }		:text
	/DISCARD/	: { *(.discard*) *(.comment) }
}

PHDRS
{
	text		PT_LOAD		FLAGS(5) FILEHDR PHDRS;	/* R X */
	dynamic		PT_DYNAMIC	FLAGS(4);		/* R */
	note		PT_NOTE		FLAGS(4);		/* R */
	eh_frame_hdr	PT_GNU_EH_FRAME;
}

/*
 * What x86_64 C libraries look up: each function under its __vdso_ name
 * and its plain one, version LINUX_2.6.  Nothing else is exported.
 */
VERSION
{
	LINUX_2.6 {
	global:
		__vdso_clock_gettime; __vdso_clock_getres; __vdso_gettimeofday;
		__vdso_time; __vdso_getcpu;
		clock_gettime; clock_getres; gettimeofday; time; getcpu;
	local: *;
	};
}
