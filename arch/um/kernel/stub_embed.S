/* SPDX-License-Identifier: GPL-2.0 */
/* The stub executable, built by kernel/Makefile, carried in the kernel. */
	.section .rodata
	.balign	16
	.globl	uml_stub_image, uml_stub_image_end
uml_stub_image:
	.incbin	STUB_IMAGE
uml_stub_image_end:
