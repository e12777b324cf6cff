/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary of the network device (drivers/net/).
 *
 * The kernel half (net_kern.c) is one network device per ethN=; the host
 * half is a set of transports (tuntap, daemon, mcast, user), each a table
 * of operations in its own *_user.c file.  The kernel half sees a
 * transport only through the functions below, on an opaque state block of
 * host_net_state_size() bytes that it allocates.  Frames cross in batches:
 * an array of struct host_net_pkt, each a list of buffers (struct iovec
 * layout), so one host system call moves many frames.
 */
#ifndef __HOST_NET_H
#define __HOST_NET_H

/* frames moved by one host_net_recv()/host_net_send() at most */
#define HOST_NET_BATCH		64
/* buffers making up one frame at most (header, head, page fragments) */
#define HOST_NET_MAX_IOV	20
/* bytes of the struct virtio_net_hdr that leads frames on a vnet_hdr TAP */
#define HOST_NET_VNET_HDR_LEN	10
/* largest frame a transport with segmentation offload may hand over */
#define HOST_NET_GSO_MAX	(65536 + 14 + 4)

/* what the transport offers (struct host_net_info.offloads) */
#define HOST_NET_OFF_TX		0x1	/* takes partial checksums and GSO */
#define HOST_NET_OFF_RX		0x2	/* may give partial checksums and GSO */

/* laid out as struct iovec */
struct host_net_iov {
	void *base;
	unsigned long len;
};

/**
 * struct host_net_pkt - one frame in a batch
 * @iov:  the buffers (on receive: where the frame may go, in order)
 * @niov: how many
 * @len:  on receive, set to the frame's length (0 for a frame the
 *        transport itself found malformed); unused on send
 * @trunc: on receive, set when the frame did not fit in @iov
 */
struct host_net_pkt {
	struct host_net_iov *iov;
	int niov;
	unsigned int len;
	int trunc;
};

/**
 * struct host_net_info - what an opened transport tells the device
 * @fd:        readable when frames are waiting (raises the IRQ)
 * @vnet_hdr:  every frame, both ways, starts with a virtio_net_hdr of
 *             HOST_NET_VNET_HDR_LEN bytes
 * @offloads:  HOST_NET_OFF_* bits
 * @max_frame: largest frame (with any vnet header) that can arrive
 * @echo:      the medium returns our own frames (multicast): frames
 *             from our own MAC are to be dropped quietly
 * @note:      "" or something the user should know about the host side
 *             (a missing host setting), printed once by the device
 */
struct host_net_info {
	int fd;
	int vnet_hdr;
	int offloads;
	unsigned int max_frame;
	int echo;
	char note[192];
};

/** host_net_state_size() - bytes of the state block of one interface */
unsigned long host_net_state_size(void);

/**
 * host_net_parse() - parse the text after "ethN=" ("tuntap,tap0,MAC")
 * @st:      a zeroed state block to fill, or NULL just to check @spec
 * @spec:    the specification
 * @mac:     set to the MAC address when @spec gives one
 * @mac_set: set to 1 when it did, else 0
 * Return: NULL, or a message saying what is wrong with @spec.
 *
 * Touches no host resource; safe before the kernel runs.
 */
const char *host_net_parse(void *st, const char *spec, unsigned char *mac,
			   int *mac_set);

/**
 * host_net_open() - open the host side of a parsed interface
 * @st:   state block filled by host_net_parse()
 * @mac:  the interface's MAC address (some transports announce it)
 * @info: filled on success
 * @msg:  on failure, what went wrong, for the user (at most @len bytes)
 * @len:  room in @msg
 * Return: 0 or a negative errno.  @info->fd is non-blocking.
 */
int host_net_open(void *st, const unsigned char *mac,
		  struct host_net_info *info, char *msg, int len);

/**
 * host_net_recv() - take waiting frames, without blocking
 * @st:   an open state block
 * @pkts: @n frames with buffers to fill; @len and @trunc are set
 * @n:    at most HOST_NET_BATCH
 * Return: frames filled (0 when none is waiting), or a negative errno
 * when the host side is gone (switch closed, helper exited).
 */
int host_net_recv(void *st, struct host_net_pkt *pkts, int n);

/**
 * host_net_send() - send a batch of frames, without blocking
 * @st:   an open state block
 * @pkts: @n frames
 * @n:    at most HOST_NET_BATCH
 * Return: how many of the first frames went out (the rest are lost, the
 * host queue being full), or a negative errno when the host side is gone.
 */
int host_net_send(void *st, struct host_net_pkt *pkts, int n);

/** host_net_close() - release every host resource of an open block */
void host_net_close(void *st);

#endif
