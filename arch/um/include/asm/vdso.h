/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDSO: its image (built in arch/um/vdso/, carried in the kernel) and
 * the pages mapped in every guest process:
 *
 *   [vvar]  UML_VVAR_PAGES pages: the time data the kernel keeps current,
 *           then the page a time namespace's task sees the real data in
 *   [vdso]  the image's text, right above
 */
#ifndef __UM_VDSO_H
#define __UM_VDSO_H

#define UML_VVAR_PAGES		2

#ifndef __ASSEMBLY__
extern const char uml_vdso_image[], uml_vdso_image_end[];
void uml_vdso_setup(void);
#endif

#endif
