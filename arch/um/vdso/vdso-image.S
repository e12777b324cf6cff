/* SPDX-License-Identifier: GPL-2.0 */
/* The vDSO image, copied into pages of physical memory at boot. */
	.section .rodata
	.balign	4096
	.globl	uml_vdso_image, uml_vdso_image_end
uml_vdso_image:
	.incbin	"arch/um/vdso/vdso.so"
uml_vdso_image_end:
