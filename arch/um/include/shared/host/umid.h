/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: the machine's name on the host and its directory.
 *
 * Every running kernel owns a directory UML_DIR/UMID/ (UML_DIR is
 * ~/.uml unless uml_dir= says otherwise) holding its process id in "pid"
 * and the management console's socket "mconsole".  main() claims it
 * before the kernel starts; every way the process ends removes it.
 */
#ifndef __HOST_UMID_H
#define __HOST_UMID_H

/**
 * host_umid_init() - claim the machine's directory, before boot
 * @umid:    the name from umid=, or NULL to make one up
 * @uml_dir: the parent from uml_dir=, or NULL for ~/.uml
 *
 * A directory left by a dead kernel is taken over; one whose "pid" names
 * a live process is refused.
 * Return: 0, or -1 after printing why (main() then exits with status 2).
 */
int host_umid_init(const char *umid, const char *uml_dir);

/** host_umid_name() - the machine's name (given or generated) */
const char *host_umid_name(void);

/** host_umid_generated() - non-zero when the name was made up at boot */
int host_umid_generated(void);

/**
 * host_umid_path() - PATH of a file in the machine's directory
 * @file: e.g. "mconsole"
 * @buf:  filled with the path
 * @len:  room in @buf
 * Return: 0, or -ENAMETOOLONG.
 */
int host_umid_path(const char *file, char *buf, unsigned long len);

/**
 * host_umid_cleanup() - remove the machine's directory
 *
 * Safe to call more than once and from a signal handler or a panic: it
 * only unlinks the files it made and the directory.
 */
void host_umid_cleanup(void);

/**
 * host_umid_before_reexec() - remove the directory before a reboot
 *
 * The new image claims it again under the same name, also a made-up one.
 */
void host_umid_before_reexec(void);

#endif
