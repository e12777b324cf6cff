// SPDX-License-Identifier: GPL-2.0
/*
 * umid=NAME: the machine's name on the host.  It names the directory
 * ~/.uml/NAME/ where the management console's socket lives, so it is
 * restricted to characters that are safe in a file name.  main() claims
 * the directory before boot (os-Linux/umid.c); the kernel only has to
 * keep umid= and uml_dir= away from init's arguments.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <host/options.h>

#define UMID_MAX	64

/* the name given with umid= (empty when none was: then it is made up) */
char uml_umid[UMID_MAX + 1];

static const char *umid_check(const char *val)
{
	size_t n = strlen(val);
	size_t i;

	if (!n)
		return "empty umid";
	if (n > UMID_MAX)
		return "umid longer than 64 characters";
	if (val[0] == '.')
		return "a umid may not start with '.'";
	for (i = 0; i < n; i++) {
		char c = val[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return "a umid is made of letters, digits, '.', '_' and '-'";
	}
	return NULL;
}

UML_OPTION(umid, "umid=", "umid=NAME",
	   "name of this machine on the host (~/.uml/NAME/)", umid_check);

static int __init umid_setup(char *str)
{
	if (!umid_check(str))
		strscpy(uml_umid, str, sizeof(uml_umid));
	return 1;
}
__setup("umid=", umid_setup);

static int __init uml_dir_setup(char *str)
{
	return 1;
}
__setup("uml_dir=", uml_dir_setup);
