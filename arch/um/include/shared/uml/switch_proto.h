/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual switch (uml_switch) wire format, "daemon" network transport.
 *
 * The switch listens on a unix stream socket, the control socket.  A client
 * (a UML network device "ethN=daemon,MAC,unix,CTLSOCK", or any program):
 *
 *  1. binds a unix datagram socket of its own, its data socket;
 *  2. connects to the control socket and writes one struct switch_request
 *     naming that data socket;
 *  3. reads back one struct switch_unix_addr: the switch's data socket for
 *     this client;
 *  4. from then on exchanges raw ethernet frames, one per datagram, between
 *     its data socket and the switch's, with no header of any kind;
 *  5. leaves by closing the control connection.
 *
 * Classic clients bind their data socket to an abstract name with the full
 * sizeof(struct sockaddr_un) as address length and use that length when
 * sending too, so abstract names must be handled at full length.
 *
 * Both ends run on one host: integers are in host byte order.  The header
 * is shared by tools/uml_switch and the kernel driver and uses fixed-width
 * types only.
 */
#ifndef _UML_SWITCH_PROTO_H
#define _UML_SWITCH_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* First word of a control request. */
#define SWITCH_MAGIC		0xfeedfaceU
/* The one request revision in use since Linux 2.6. */
#define SWITCH_VERSION		3

/* Length of the path area of a unix socket address. */
#define SWITCH_PATH_MAX		108

/* Ethernet framing as relayed by the switch. */
#define SWITCH_ETH_ALEN		6
#define SWITCH_ETH_HLEN		14
/*
 * Largest frame relayed: a 1500 byte payload, the ethernet header and
 * room for tags (a UML daemon device sends at most 1526 bytes).
 */
#define SWITCH_FRAME_MAX	1536

/**
 * enum switch_request_type - what a control request asks for
 * @SWITCH_REQ_NEW_CONTROL: attach a new port whose data socket is named in
 *	the request.
 */
enum switch_request_type {
	SWITCH_REQ_NEW_CONTROL = 0,
};

/**
 * struct switch_unix_addr - a unix socket address, laid out like the
 *	C library's struct sockaddr_un on Linux
 * @family: AF_UNIX (1).
 * @path: a NUL-terminated file name, or an abstract name when @path[0] is
 *	NUL (then every one of the remaining bytes is part of the name).
 */
struct switch_unix_addr {
	uint16_t family;
	char path[SWITCH_PATH_MAX];
};

/**
 * struct switch_request - version 3 control request
 * @magic: %SWITCH_MAGIC.
 * @version: %SWITCH_VERSION.
 * @type: an &enum switch_request_type value (an int on the wire).
 * @sock: the client's data socket, where the switch sends its frames and
 *	from which the client sends.
 *
 * The switch answers on the control connection with a struct
 * switch_unix_addr naming the socket the client must send its frames to.
 */
struct switch_request {
	uint32_t magic;
	uint32_t version;
	uint32_t type;
	struct switch_unix_addr sock;
};

_Static_assert(sizeof(struct switch_unix_addr) == 110,
	       "must match struct sockaddr_un");
_Static_assert(sizeof(struct switch_request) == 124,
	       "switch request layout");

#endif /* _UML_SWITCH_PROTO_H */
