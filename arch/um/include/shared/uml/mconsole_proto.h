/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Management console ("mconsole") wire format.
 *
 * A running UML listens on a unix datagram socket, by default
 * ~/.uml/UMID/mconsole.  A client binds a socket of its own (an abstract
 * name is enough), sends one struct mconsole_request per command and
 * reads one or more struct mconsole_reply datagrams back: the kernel keeps
 * sending while the previous part had @more set.  Optionally the kernel
 * also sends struct mconsole_notify datagrams to a socket named with
 * "mconsole=notify:PATH" on its command line.
 *
 * Both ends run on the same host, so every integer is in host byte order.
 * The layout is that of the classic UML tools; only the three header words
 * and the used part of @data travel in replies and notifications, whereas
 * classic clients send the whole request structure.
 *
 * This header is shared by the host tools (tools/uml_mconsole) and the
 * kernel driver, so it uses fixed-width types only.
 */
#ifndef _UML_MCONSOLE_PROTO_H
#define _UML_MCONSOLE_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* First word of every request and notification. */
#define MCONSOLE_MAGIC		0xcafebabeU
/* Protocol revision spoken by current kernels and clients. */
#define MCONSOLE_VERSION	2
/* Size of the payload area of every packet, text plus its NUL. */
#define MCONSOLE_MAX_DATA	512

/**
 * struct mconsole_request - a command sent by a client to the kernel
 * @magic: always %MCONSOLE_MAGIC; anything else is treated as an
 *	unversioned (version 0) client and refused.
 * @version: %MCONSOLE_VERSION.
 * @len: number of bytes of command text in @data, without a NUL; must be
 *	below %MCONSOLE_MAX_DATA.
 * @data: the command line, e.g. "proc meminfo".  The receiver puts a NUL
 *	at @data[@len] itself.
 */
struct mconsole_request {
	uint32_t magic;
	uint32_t version;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/**
 * struct mconsole_reply - one part of the kernel's answer
 * @err: non-zero when the command failed (only ever set in the first
 *	part); the value is 1 or a negative errno.
 * @more: non-zero when further parts follow; the answer is complete with
 *	the first part that has @more clear.
 * @len: bytes used in @data, counting the terminating NUL that the kernel
 *	sends; 0 is tolerated and means empty text.
 * @data: a chunk of the answer text.
 */
struct mconsole_reply {
	uint32_t err;
	uint32_t more;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/**
 * enum mconsole_notify_type - what a notification is about
 * @MCONSOLE_SOCKET: the kernel is ready; data is the path of its mconsole
 *	socket.
 * @MCONSOLE_PANIC: the kernel panicked; data is the panic message.
 * @MCONSOLE_HANG: the kernel noticed it hung.
 * @MCONSOLE_USER_NOTIFY: a guest process wrote data to /proc/mconsole.
 */
enum mconsole_notify_type {
	MCONSOLE_SOCKET = 0,
	MCONSOLE_PANIC = 1,
	MCONSOLE_HANG = 2,
	MCONSOLE_USER_NOTIFY = 3,
};

/**
 * struct mconsole_notify - an unsolicited message from the kernel
 * @magic: %MCONSOLE_MAGIC.
 * @version: %MCONSOLE_VERSION.
 * @type: an &enum mconsole_notify_type value (an int on the wire).
 * @len: bytes of @data that are meaningful; the text need not be
 *	NUL-terminated.
 * @data: the payload described under &enum mconsole_notify_type.
 */
struct mconsole_notify {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	uint32_t len;
	char data[MCONSOLE_MAX_DATA];
};

/* Bytes in front of @data in a reply and in a notification. */
#define MCONSOLE_REPLY_HDR	(3 * sizeof(uint32_t))
#define MCONSOLE_NOTIFY_HDR	(4 * sizeof(uint32_t))

_Static_assert(sizeof(struct mconsole_request) == 12 + MCONSOLE_MAX_DATA,
	       "mconsole request layout");
_Static_assert(sizeof(struct mconsole_reply) == 12 + MCONSOLE_MAX_DATA,
	       "mconsole reply layout");
_Static_assert(sizeof(struct mconsole_notify) == 16 + MCONSOLE_MAX_DATA,
	       "mconsole notify layout");

#endif /* _UML_MCONSOLE_PROTO_H */
