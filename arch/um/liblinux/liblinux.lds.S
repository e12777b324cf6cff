/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link map of the kernel as a library (CONFIG_UML_LIB): included by
 * kernel/vmlinux.lds.S for a relocatable link (ld -r).  The application's
 * own link (or the -shared link of liblinux.so) places these sections;
 * every symbol the kernel's tables need is defined relative to a section
 * here, so it moves with it.  No loader sections, no fixed address, no
 * entry point.
 */

OUTPUT_FORMAT("elf64-x86-64", "elf64-x86-64", "elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)

SECTIONS
{
	.text		: {
		_text = .;
		_stext = .;
		HEAD_TEXT
		TEXT_TEXT
		SCHED_TEXT
		LOCK_TEXT
		KPROBES_TEXT
		IRQENTRY_TEXT
		SOFTIRQENTRY_TEXT
		ENTRY_TEXT
		*(.stub .gnu.linkonce.t.*)
		_etext = .;
		/*
		 * Init and exit text in the same output section: kallsyms
		 * takes its offsets from _text in this object, and only
		 * within one section does the final link keep them.
		 */
		. = ALIGN(PAGE_SIZE);
		_sinittext = .;
		INIT_TEXT
		_einittext = .;
		EXIT_TEXT
	}

	.rodata.head	: { _sdata = .; }
	RO_DATA(PAGE_SIZE)
	.rodata1	: { *(.rodata1) }
	.uml.options	: {
		__uml_options_start = .;
		KEEP(*(.uml.options))
		__uml_options_end = .;
	}

	.init.data	: {
		__init_begin = .;
		INIT_DATA
		INIT_SETUP(16)
		INIT_CALLS
		CON_INITCALL
		INIT_RAM_FS
	}
	PERCPU_SECTION(L1_CACHE_BYTES)
	.init.end	: { __init_end = .; }

	.data		: {
		INIT_TASK_DATA(THREAD_SIZE)
		NOSAVE_DATA
		PAGE_ALIGNED_DATA(PAGE_SIZE)
		CACHELINE_ALIGNED_DATA(L1_CACHE_BYTES)
		READ_MOSTLY_DATA(L1_CACHE_BYTES)
		DATA_DATA
		CONSTRUCTORS
		jiffies = jiffies_64;
		_edata = .;
	}
	BUG_TABLE

	.bss		: {
		__bss_start = .;
		*(.bss..page_aligned)
		*(.dynbss)
		*(BSS_MAIN)
		*(COMMON)
		__bss_stop = .;
		_end = .;
	}

	STABS_DEBUG
	DWARF_DEBUG
	ELF_DETAILS

	/DISCARD/ : {
		*(.exitcall.exit)
		*(.discard) *(.discard.*)
		*(.modinfo)
		*(.export_symbol)
		*(.eh_frame)
	}
}
