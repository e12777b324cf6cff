/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link map of the kernel as a host executable.
 *
 * The outer frame is what the host's C runtime expects of a dynamically
 * linked, non-PIE x86_64 program (interpreter, dynamic tables, init/fini
 * arrays, TLS); the kernel's own tables (initcalls, exception table,
 * init task, per-cpu data, ...) sit inside it, laid out by the generic
 * vmlinux.lds.h macros.  Nothing here is freed after boot: init text and
 * data are part of the executable, not of physical memory.
 */
#include <asm/page.h>
#include <asm/thread_info.h>
#include <asm/cache.h>

#define RO_EXCEPTION_TABLE_ALIGN	16
#include <asm-generic/vmlinux.lds.h>
#include "uml.lds.h"

#ifdef CONFIG_UML_LIB
#include "../liblinux/liblinux.lds.S"
#else

UML_OUTPUT
ENTRY(_start)
jiffies = jiffies_64;

SECTIONS
{
	PROVIDE(__executable_start = UML_LOAD_ADDR);
	. = UML_LOAD_ADDR + SIZEOF_HEADERS;

	/* what the dynamic loader reads, each input section kept whole */
#define LOADER_SECTION(sec)	sec : { *(sec) }
	LOADER_SECTION(.interp)
	.note.gnu.build-id : { *(.note.gnu.build-id) }
	LOADER_SECTION(.dynsym) LOADER_SECTION(.dynstr)
	LOADER_SECTION(.hash) LOADER_SECTION(.gnu.hash)
	LOADER_SECTION(.gnu.version) LOADER_SECTION(.gnu.version_d)
	LOADER_SECTION(.gnu.version_r)
	.rela.dyn	: { *(.rela.init) *(.rela.text .rela.text.*)
			    *(.rela.rodata .rela.rodata.*)
			    *(.rela.data .rela.data.*) *(.rela.got)
			    *(.rela.bss .rela.bss.*) *(.rela.ifunc) }
	.rela.plt	: { *(.rela.plt)
			    PROVIDE_HIDDEN(__rela_iplt_start = .);
			    *(.rela.iplt)
			    PROVIDE_HIDDEN(__rela_iplt_end = .); }

	. = ALIGN(PAGE_SIZE);
	.init		: { KEEP(*(SORT_NONE(.init))) }
	.plt		: { *(.plt) *(.iplt) }
	.plt.got	: { *(.plt.got) }
	.plt.sec	: { *(.plt.sec) }

	. = ALIGN(PAGE_SIZE);
	_text = .;
	_stext = .;
	.text		: {
		UML_TEXT
		*(.gnu.warning)
	}
	.fini		: { KEEP(*(SORT_NONE(.fini))) }
	_etext = .;
	PROVIDE(etext = .);

	. = ALIGN(PAGE_SIZE);
	_sinittext_area = .;
	INIT_TEXT_SECTION(PAGE_SIZE)

	. = ALIGN(PAGE_SIZE);
	_sdata = .;
	RO_DATA(PAGE_SIZE)
	UML_OPTIONS
	.eh_frame_hdr	: { *(.eh_frame_hdr) }
	.eh_frame	: ONLY_IF_RO { KEEP(*(.eh_frame)) }
	.gcc_except_table : ONLY_IF_RO { *(.gcc_except_table .gcc_except_table.*) }

	. = ALIGN(PAGE_SIZE);
	__init_begin = .;
	INIT_DATA_SECTION(16)
	PERCPU_SECTION(L1_CACHE_BYTES)
	__init_end = .;

	. = ALIGN(PAGE_SIZE);
	.eh_frame	: ONLY_IF_RW { KEEP(*(.eh_frame)) }
	.gcc_except_table : ONLY_IF_RW { *(.gcc_except_table .gcc_except_table.*) }
	.tdata		: { *(.tdata .tdata.* .gnu.linkonce.td.*) }
	.tbss		: { *(.tbss .tbss.* .gnu.linkonce.tb.*) *(.tcommon) }
	.preinit_array	: {
		PROVIDE_HIDDEN(__preinit_array_start = .);
		KEEP(*(.preinit_array))
		PROVIDE_HIDDEN(__preinit_array_end = .);
	}
	.init_array	: {
		PROVIDE_HIDDEN(__init_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.init_array.*)))
		KEEP(*(.init_array))
		PROVIDE_HIDDEN(__init_array_end = .);
	}
	.fini_array	: {
		PROVIDE_HIDDEN(__fini_array_start = .);
		KEEP(*(SORT_BY_INIT_PRIORITY(.fini_array.*)))
		KEEP(*(.fini_array))
		PROVIDE_HIDDEN(__fini_array_end = .);
	}
	.dynamic	: { *(.dynamic) }
	.got		: { *(.got) *(.igot) }
	.got.plt	: { *(.got.plt) *(.igot.plt) }

	RW_DATA(L1_CACHE_BYTES, PAGE_SIZE, THREAD_SIZE)
	_edata = .;
	PROVIDE(edata = .);

	BSS_SECTION(0, 0, 0)
	. = ALIGN(PAGE_SIZE);
	_end = .;
	PROVIDE(end = .);

	UML_DEBUG

	/DISCARD/ : {
		UML_DISCARDS
		*(.note.GNU-stack)
		*(.modinfo)
	}
}
#endif /* CONFIG_UML_LIB */
