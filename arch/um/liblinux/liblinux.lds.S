/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link map of the kernel as a library (CONFIG_UML_LIB): included by
 * kernel/vmlinux.lds.S for a relocatable link (ld -r).  The application's
 * own link (or the -shared link of liblinux.so) places these sections;
 * every symbol the kernel's tables need is defined relative to a section
 * here, so it moves with it.  No loader sections, no fixed address, no
 * entry point.  The text, option table, debug sections and discards are
 * the executable's (UML_* of kernel/uml.lds.h).
 */

UML_OUTPUT

SECTIONS
{
	.text		: {
		_text = .;
		_stext = .;
		UML_TEXT
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
	UML_OPTIONS

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

	UML_DEBUG

	/DISCARD/ : {
		UML_DISCARDS
		*(.modinfo)
		*(.export_symbol)
		*(.eh_frame)
	}
}
