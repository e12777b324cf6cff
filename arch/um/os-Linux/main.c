// SPDX-License-Identifier: GPL-2.0
/*
 * The host's main(): check the command line, create physical memory and
 * hand over to the kernel on the init task's stack.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <host/boot.h>
#include <host/cpu.h>
#include <host/irq.h>
#include <host/layout.h>
#include <host/mem.h>
#include <host/options.h>
#include <host/process.h>
#include <host/umid.h>

#define DEFAULT_MEM	(128UL << 20)

static const char *prog;
extern char **host_saved_argv;

static const char *check_mem(const char *val)
{
	const char *end;
	unsigned long long size = uml_parse_size(val, &end);

	if (!size || *end)
		return "not a size (write a number with an optional K, M or G suffix, e.g. mem=256M)";
	if (size < (16ULL << 20))
		return "too small: the kernel needs at least 16M";
	if (size > UML_PHYSMEM_MAX) {
		static char msg[128];

		snprintf(msg, sizeof(msg),
			 "larger than this kernel allows: at most %uG (CONFIG_UML_MAX_PHYSMEM_GB)",
			 (unsigned int)CONFIG_UML_MAX_PHYSMEM_GB);
		return msg;
	}
	return NULL;
}

UML_OPTION(mem, "mem=", "mem=SIZE",
	   "physical memory, e.g. mem=256M (default 128M)", check_mem);

static const char *check_loglevel(const char *val)
{
	if (val[0] < '0' || val[0] > '9' || val[1])
		return "not a console log level (0 to 9)";
	return NULL;
}

UML_OPTION(loglevel, "loglevel=", "loglevel=N",
	   "console log level, 0 (emergencies only) to 9", check_loglevel);
UML_OPTION(quiet, "quiet", "quiet",
	   "print only warnings and errors while booting", NULL);
UML_OPTION(root, "root=", "root=DEV",
	   "root filesystem, e.g. root=/dev/ubda (the default with ubd0=)",
	   NULL);
UML_OPTION(init, "init=", "init=PATH", "program to run as init", NULL);

static void usage(void)
{
	const struct uml_option *o;

	printf("Usage: %s [OPTION]... [-- INIT-ARGS]\n"
	       "User-mode Linux: run the Linux kernel as a process.  Every argument\n"
	       "is a kernel command-line parameter; these are the port's own:\n\n",
	       prog);
	for (o = __uml_options_start; o < __uml_options_end; o++)
		printf("  %-28s %s\n", o->usage, o->help);
	printf("\n  %-28s %s\n  %-28s %s\n", "--help", "print this and exit",
	       "--version", "print the kernel version and exit");
}

static int option_matches(const struct uml_option *o, const char *arg)
{
	size_t n = strlen(o->name);

	if (strncmp(arg, o->name, n))
		return 0;
	if (o->name[n - 1] == '=')
		return 1;
	/* "quiet" matches itself; "ubd" matches ubd0=..., ubdb= etc. */
	return arg[n] == '\0' || o->check;
}

static void check_args(int argc, char **argv)
{
	const struct uml_option *o;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		/* the kernel would pass it to init as an argument */
		if (!strncmp(argv[i], "--", 2)) {
			fprintf(stderr,
				"%s: unknown option '%s' (see %s --help; after a lone '--' it goes to init)\n",
				prog, argv[i], prog);
			exit(2);
		}
		for (o = __uml_options_start; o < __uml_options_end; o++) {
			const char *val, *err;

			if (!o->check || !option_matches(o, argv[i]))
				continue;
			val = argv[i] + strlen(o->name);
			err = o->check(val);
			if (err) {
				fprintf(stderr, "%s: bad option '%s': %s\n",
					prog, argv[i], err);
				exit(2);
			}
		}
	}
}

static unsigned long mem_size(int argc, char **argv)
{
	unsigned long size = DEFAULT_MEM;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strncmp(argv[i], "mem=", 4))
			size = uml_parse_size(argv[i] + 4, NULL);
	return size & ~4095UL;
}

/* the last umid= and uml_dir= win, as they would for __setup() */
static int claim_umid(int argc, char **argv)
{
	const char *umid = NULL, *dir = NULL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], "umid=", 5))
			umid = argv[i] + 5;
		else if (!strncmp(argv[i], "uml_dir=", 8))
			dir = argv[i] + 8;
	}
	return host_umid_init(umid, dir);
}

static void build_cmdline(int argc, char **argv)
{
	size_t len = 0;
	int i;

	for (i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (len + n + 2 > UML_CMDLINE_SIZE) {
			fprintf(stderr, "%s: command line longer than %d bytes\n",
				prog, UML_CMDLINE_SIZE);
			exit(2);
		}
		if (len)
			uml_boot_cmdline[len++] = ' ';
		memcpy(uml_boot_cmdline + len, argv[i], n);
		len += n;
	}
	uml_boot_cmdline[len] = '\0';
}

/*
 * A descriptor 0, 1 or 2 closed by whoever started us would be taken by the
 * first file we open (physical memory, a disk), and con0's fd:0,fd:1 would
 * then read or write that file: /dev/null stands in for it.
 */
static void fill_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(2);
}

int main(int argc, char **argv)
{
	int i;

	/*
	 * The boot CPU's block (current, the interrupt flag) first: option
	 * checks of the kernel side and signal handlers may look for it.
	 */
	host_cpu_self_set(&uml_cpu_selves[0]);
	fill_std_fds();
	host_saved_argv = argv;
	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage();
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			fputs(linux_banner, stdout);
			return 0;
		}
	}
	check_args(argc, argv);
	build_cmdline(argc, argv);
	if (claim_umid(argc, argv))
		exit(2);
	setvbuf(stdout, NULL, _IONBF, 0);

	uml_physmem_size = mem_size(argc, argv);
	if (host_physmem_create(uml_physmem_size)) {
		host_umid_cleanup();
		return 1;
	}
	host_signals_init();
	uml_run_on_stack(uml_kernel_entry, uml_init_stack_top());
}
