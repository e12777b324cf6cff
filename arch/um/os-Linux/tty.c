// SPDX-License-Identifier: GPL-2.0
/* The host terminal under the console: raw mode while we run, restored. */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <host/console.h>

static struct termios saved_termios;
static int termios_saved, saved_flags = -1;

int host_console_open(void)
{
	struct termios raw;

	saved_flags = fcntl(STDIN_FILENO, F_GETFL);
	if (saved_flags < 0)
		return -errno;
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved_termios)) {
		raw = saved_termios;
		raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
				 IGNCR | ICRNL | IXON);
		raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
		raw.c_cflag &= ~(CSIZE | PARENB);
		raw.c_cflag |= CS8;
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSADRAIN, &raw))
			termios_saved = 1;
	}
	if (fcntl(STDIN_FILENO, F_SETFL, saved_flags | O_NONBLOCK))
		return -errno;
	return STDIN_FILENO;
}

long host_console_read(char *buf, unsigned long len)
{
	ssize_t n;

	do
		n = read(STDIN_FILENO, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

void host_console_restore(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
	if (saved_flags >= 0)
		fcntl(STDIN_FILENO, F_SETFL, saved_flags);
	termios_saved = 0;
	saved_flags = -1;
}
