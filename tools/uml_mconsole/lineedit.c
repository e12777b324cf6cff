// SPDX-License-Identifier: GPL-2.0
/*
 * lineedit.c - a compact emacs-style line editor for a terminal prompt.
 *
 * The line is redrawn in full after each key, which keeps the code short
 * and is plenty fast for a prompt.  Lines wider than the terminal scroll
 * horizontally so the cursor always stays visible.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "lineedit.h"

#define KEY_CTRL(c)		((c) & 0x1f)
#define KEY_DEL		127
#define KEY_ESC		27

/* Decoded keys that arrive as escape sequences. */
enum le_key {
	K_NONE = 1000,
	K_LEFT, K_RIGHT, K_UP, K_DOWN, K_HOME, K_END, K_DELETE,
};

static char *hist[LE_HISTORY_MAX];
static int hist_len;
static const char *const *words;

static struct termios saved_tio;
static int raw_active;

struct le_state {
	char *buf;
	size_t size;
	size_t len;
	size_t pos;
	const char *prompt;
	size_t plen;
	int hist_idx;		/* hist_len means the line being typed */
	char *stash;		/* the line being typed, while browsing */
};

static void out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		n -= w;
	}
}

static void outs(const char *s)
{
	out(s, strlen(s));
}

static void raw_off(void)
{
	if (raw_active) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
		raw_active = 0;
	}
}

static void fatal_signal(int sig)
{
	raw_off();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int raw_on(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &saved_tio) < 0)
		return -1;
	t = saved_tio;
	t.c_iflag &= ~(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
	t.c_lflag &= ~(ECHO | ICANON | IEXTEN | ISIG);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) < 0)
		return -1;
	raw_active = 1;
	signal(SIGTERM, fatal_signal);
	signal(SIGHUP, fatal_signal);
	return 0;
}

static int term_cols(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* One byte from the terminal, or -1 at end of input. */
static int get_byte(void)
{
	unsigned char c;
	ssize_t n;

	do {
		n = read(STDIN_FILENO, &c, 1);
	} while (n < 0 && errno == EINTR);
	return n == 1 ? c : -1;
}

/* Turn the rest of an escape sequence into one of enum le_key. */
static int read_escape(void)
{
	int a, b, c;

	a = get_byte();
	if (a != '[' && a != 'O')
		return K_NONE;
	b = get_byte();
	switch (b) {
	case 'A':
		return K_UP;
	case 'B':
		return K_DOWN;
	case 'C':
		return K_RIGHT;
	case 'D':
		return K_LEFT;
	case 'H':
		return K_HOME;
	case 'F':
		return K_END;
	}
	if (a == '[' && b >= '0' && b <= '9') {
		/* ESC [ n ~ and longer forms such as ESC [ 1 ; 5 C */
		do {
			c = get_byte();
		} while (c >= 0 && c != '~' && !isalpha(c));
		if (c != '~')
			return K_NONE;
		switch (b) {
		case '1':
		case '7':
			return K_HOME;
		case '4':
		case '8':
			return K_END;
		case '3':
			return K_DELETE;
		}
	}
	return K_NONE;
}

static void refresh(struct le_state *s)
{
	size_t cols = term_cols();
	size_t room, start = 0, shown;
	char seq[32];

	room = cols > s->plen + 1 ? cols - s->plen - 1 : 1;
	if (s->pos > room)
		start = s->pos - room;
	shown = s->len - start;
	if (shown > room)
		shown = room;

	outs("\r");
	outs(s->prompt);
	out(s->buf + start, shown);
	outs("\x1b[K\r");
	snprintf(seq, sizeof(seq), "\x1b[%zuC", s->plen + s->pos - start);
	if (s->plen + s->pos - start > 0)
		outs(seq);
}

static void set_line(struct le_state *s, const char *text)
{
	size_t n = strlen(text);

	if (n >= s->size)
		n = s->size - 1;
	memcpy(s->buf, text, n);
	s->buf[n] = '\0';
	s->len = n;
	s->pos = n;
}

static void browse(struct le_state *s, int dir)
{
	int idx = s->hist_idx + dir;

	if (idx < 0 || idx > hist_len)
		return;
	if (s->hist_idx == hist_len) {
		free(s->stash);
		s->stash = strdup(s->buf);
	}
	s->hist_idx = idx;
	set_line(s, idx == hist_len ? (s->stash ? s->stash : "") : hist[idx]);
}

static int insert(struct le_state *s, char c)
{
	if (s->len + 1 >= s->size)
		return -1;
	memmove(s->buf + s->pos + 1, s->buf + s->pos, s->len - s->pos);
	s->buf[s->pos++] = c;
	s->buf[++s->len] = '\0';
	return 0;
}

/* Remove the bytes [from, to) of the line. */
static void cut(struct le_state *s, size_t from, size_t to)
{
	memmove(s->buf + from, s->buf + to, s->len - to);
	s->len -= to - from;
	s->buf[s->len] = '\0';
	s->pos = from;
}

/*
 * Tab: complete the first word of the line from the word list.  @again
 * says the previous key was Tab too, which lists the candidates.
 */
static void complete(struct le_state *s, int again)
{
	size_t n = s->pos, common = 0, k;
	const char *first = NULL;
	int i, matches = 0;

	if (!words || memchr(s->buf, ' ', n))
		return;
	for (i = 0; words[i]; i++) {
		if (strncmp(words[i], s->buf, n))
			continue;
		if (!first) {
			first = words[i];
			common = strlen(first);
		} else {
			for (k = n; k < common && words[i][k] == first[k]; k++)
				;
			common = k;
		}
		matches++;
	}
	if (!matches) {
		outs("\a");
		return;
	}
	if (common > n) {
		for (k = n; k < common; k++)
			if (insert(s, first[k]) < 0)
				return;
		if (matches == 1 && s->pos == s->len)
			insert(s, ' ');
		return;
	}
	if (!again) {
		outs("\a");
		return;
	}
	/* list the candidates under the line, then redraw it */
	outs("\r\n");
	for (i = 0; words[i]; i++) {
		if (strncmp(words[i], s->buf, n))
			continue;
		outs(words[i]);
		outs("  ");
	}
	outs("\r\n");
}

static int edit(struct le_state *s)
{
	int last = 0;
	size_t p;
	int c;

	for (;;) {
		refresh(s);
		c = get_byte();
		if (c == KEY_ESC)
			c = read_escape();
		if (c == '\t') {
			complete(s, last == '\t');
			last = c;
			continue;
		}
		last = c;
		switch (c) {
		case -1:
			return -1;
		case '\r':
		case '\n':
			return s->len;
		case KEY_CTRL('C'):
			return -2;
		case KEY_CTRL('D'):
			if (s->len == 0)
				return -1;
			/* fall through */
		case K_DELETE:
			if (s->pos < s->len)
				cut(s, s->pos, s->pos + 1);
			break;
		case KEY_DEL:
		case KEY_CTRL('H'):
			if (s->pos > 0)
				cut(s, s->pos - 1, s->pos);
			break;
		case KEY_CTRL('A'):
		case K_HOME:
			s->pos = 0;
			break;
		case KEY_CTRL('E'):
		case K_END:
			s->pos = s->len;
			break;
		case KEY_CTRL('B'):
		case K_LEFT:
			if (s->pos > 0)
				s->pos--;
			break;
		case KEY_CTRL('F'):
		case K_RIGHT:
			if (s->pos < s->len)
				s->pos++;
			break;
		case KEY_CTRL('K'):
			cut(s, s->pos, s->len);
			break;
		case KEY_CTRL('U'):
			cut(s, 0, s->pos);
			break;
		case KEY_CTRL('W'):
			p = s->pos;
			while (p > 0 && s->buf[p - 1] == ' ')
				p--;
			while (p > 0 && s->buf[p - 1] != ' ')
				p--;
			cut(s, p, s->pos);
			break;
		case KEY_CTRL('T'):
			if (s->pos > 0 && s->len > 1) {
				char t;

				if (s->pos == s->len)
					s->pos--;
				t = s->buf[s->pos - 1];
				s->buf[s->pos - 1] = s->buf[s->pos];
				s->buf[s->pos] = t;
				s->pos++;
			}
			break;
		case KEY_CTRL('L'):
			outs("\x1b[H\x1b[2J");
			break;
		case KEY_CTRL('P'):
		case K_UP:
			browse(s, -1);
			break;
		case KEY_CTRL('N'):
		case K_DOWN:
			browse(s, 1);
			break;
		default:
			if (c >= ' ' && c < KEY_DEL) {
				if (insert(s, c) < 0)
					outs("\a");
			} else if (c >= 128 && c < 256) {
				/* pass UTF-8 bytes through untouched */
				if (insert(s, c) < 0)
					outs("\a");
			}
			break;
		}
	}
}

int le_readline(const char *prompt, char *buf, size_t size)
{
	struct le_state s = {
		.buf = buf,
		.size = size,
		.prompt = prompt,
		.plen = strlen(prompt),
		.hist_idx = hist_len,
	};
	int ret;

	if (size == 0)
		return -1;
	buf[0] = '\0';
	if (raw_on() < 0)
		return -1;
	ret = edit(&s);
	/* leave the finished line on screen, cursor at its end */
	s.pos = s.len;
	refresh(&s);
	raw_off();
	outs(ret == -2 ? "^C\n" : "\n");
	free(s.stash);
	if (ret < 0)
		buf[0] = '\0';
	return ret;
}

void le_set_words(const char *const *list)
{
	words = list;
}

void le_history_add(const char *line)
{
	char *copy;

	if (!line[0])
		return;
	if (hist_len > 0 && strcmp(hist[hist_len - 1], line) == 0)
		return;
	copy = strdup(line);
	if (!copy)
		return;
	if (hist_len == LE_HISTORY_MAX) {
		free(hist[0]);
		memmove(hist, hist + 1, (LE_HISTORY_MAX - 1) * sizeof(*hist));
		hist_len--;
	}
	hist[hist_len++] = copy;
}

void le_history_free(void)
{
	while (hist_len > 0)
		free(hist[--hist_len]);
}
