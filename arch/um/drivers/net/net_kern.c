// SPDX-License-Identifier: GPL-2.0
/*
 * The UML network device: one ethN per ethN=TRANSPORT,... option (or
 * "config ethN=..." on the management console).
 *
 * The transports (tuntap, daemon, mcast, user) live on the host side
 * (net_*_user.c, host/net.h); this file is what they share: the net_device,
 * batches of frames both ways, the checks on received frames and the
 * counters, and what happens when the host side goes away (the carrier
 * drops and the device tries to open it again every second until it can).
 *
 * Receive: the transport's descriptor raises NET_IRQ_BASE + N; the handler
 * schedules NAPI, whose poll takes frames in batches (HOST_NET_BATCH per
 * host call) into per-device buffers and copies each into a fresh skb.
 * Send: frames queue while the stack says more follow (netdev_xmit_more())
 * and go to the host in one batch, each frame as a list of buffers (head
 * and page fragments, no copy).  On a TAP with IFF_VNET_HDR the device
 * takes partial checksums and TSO: a TCP stream moves in 64 KiB frames.
 */
#include <linux/etherdevice.h>
#include <linux/hrtimer.h>
#include <linux/ethtool.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/virtio_net.h>
#include <linux/workqueue.h>
#include <linux/seq_buf.h>
#include <asm/fdirq.h>
#include <asm/hosting.h>
#include <asm/umdev.h>
#include <host/net.h>
#include <host/options.h>

#define UML_NET_MAX	NET_IRQ_COUNT
#define UML_NET_SPEC	256
#define UML_NET_RETRY	HZ
/* a receive slot: this much in its head buffer, the rest in pages */
#define UML_NET_RX_HEAD	2048
#define UML_NET_RX_PAGES \
	DIV_ROUND_UP(HOST_NET_VNET_HDR_LEN + HOST_NET_GSO_MAX, PAGE_SIZE)

/* defined by kernel/umid.c */
extern char uml_umid[];

struct uml_net {
	struct net_device *dev;
	struct napi_struct napi;
	int index;
	char spec[UML_NET_SPEC];
	void *host;			/* the transport's state block */
	struct host_net_info info;
	bool opened;			/* host side open, IRQ requested */
	bool lost;			/* host side failed; retry pending */
	bool lost_said;
	struct delayed_work retry;

	/*
	 * receive: a batch of slots, each a head buffer and, for transports
	 * whose frames can be larger (GSO on a TAP), pages that become the
	 * skb's fragments without a copy
	 */
	int rx_batch;
	int rx_pages;			/* pages per slot */
	void *rx_head[HOST_NET_BATCH];
	struct page *rx_page[HOST_NET_BATCH][UML_NET_RX_PAGES];
	struct host_net_iov rx_iov[HOST_NET_BATCH][UML_NET_RX_PAGES + 1];
	struct host_net_pkt rx_pkt[HOST_NET_BATCH];

	/*
	 * the provider's rate limit (rate=, "config ethN=rate=..."): one
	 * token bucket each way, in bytes, that may go into debt by one
	 * frame; 0 bits/s is no limit
	 */
	u64 rate;			/* bits per second */
	s64 tx_tokens, rx_tokens;
	u64 tx_last, rx_last;		/* ns of the last refill */
	u64 tx_throttled, rx_throttled;	/* times a direction waited */
	struct hrtimer tx_rate_timer, rx_rate_timer;

	/* send: frames waiting for the batch to close */
	struct sk_buff_head txq;
	u64 tx_stalled;			/* when the host stopped taking frames */
	struct hrtimer tx_timer;
	struct host_net_iov tx_iov[HOST_NET_BATCH][HOST_NET_MAX_IOV];
	struct host_net_pkt tx_pkt[HOST_NET_BATCH];
};

static struct uml_net *uml_nets[UML_NET_MAX];
static DEFINE_MUTEX(uml_net_lock);

/* "N=SPEC" -> N, or -1 with @err set; @spec points after the '=' */
static int uml_net_index(const char *arg, const char **spec, const char **err)
{
	const char *p = arg;
	int n = 0;

	if (*p < '0' || *p > '9') {
		*err = "expected an interface number, as in eth0=TRANSPORT,...";
		return -1;
	}
	while (*p >= '0' && *p <= '9' && n < UML_NET_MAX)
		n = n * 10 + (*p++ - '0');
	if (n >= UML_NET_MAX) {
		*err = "interface number too large (at most 31)";
		return -1;
	}
	if (*p != '=') {
		*err = "expected '=' after the interface number";
		return -1;
	}
	*spec = p + 1;
	if (strlen(*spec) >= UML_NET_SPEC) {
		*err = "specification too long";
		return -1;
	}
	*err = NULL;
	return n;
}

#define UML_NET_RATE_MAX	100000000000ULL	/* 100 Gbit/s */

/* "10M" (bits per second, K/M/G by thousands) -> @rate, or a message */
static const char *uml_net_parse_rate(const char *s, size_t n, u64 *rate)
{
	u64 v = 0, mult = 1;
	size_t i = 0;

	if (!n || *s < '0' || *s > '9')
		return "rate= needs a number of bits per second, e.g. rate=10M";
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		v = v * 10 + (s[i++] - '0');
		if (v > UML_NET_RATE_MAX)
			return "rate= too large (at most 100G bits per second)";
	}
	if (i < n) {
		switch (s[i++]) {
		case 'k': case 'K':
			mult = 1000;
			break;
		case 'm': case 'M':
			mult = 1000000;
			break;
		case 'g': case 'G':
			mult = 1000000000;
			break;
		default:
			return "rate= takes K, M or G after the number (bits per second)";
		}
	}
	if (i < n)
		return "rate= takes K, M or G after the number (bits per second)";
	if (v * mult > UML_NET_RATE_MAX)
		return "rate= too large (at most 100G bits per second)";
	*rate = v * mult;
	return NULL;
}

/*
 * Take the ",rate=N" field out of @spec: the transport's part goes to
 * @rest (UML_NET_SPEC bytes), the limit to @rate (0 without the field).
 */
static const char *uml_net_split_rate(const char *spec, char *rest, u64 *rate)
{
	const char *f = strstr(spec, ",rate="), *end, *err;

	*rate = 0;
	if (!f) {
		strscpy(rest, spec, UML_NET_SPEC);
		return NULL;
	}
	end = strchrnul(f + 6, ',');
	err = uml_net_parse_rate(f + 6, end - (f + 6), rate);
	if (err)
		return err;
	snprintf(rest, UML_NET_SPEC, "%.*s%s", (int)(f - spec), spec, end);
	return NULL;
}

static const char *uml_net_check(const char *arg)
{
	static char rest[UML_NET_SPEC];	/* before the kernel runs */
	const char *spec, *err;
	unsigned char mac[ETH_ALEN];
	int mac_set;
	u64 rate;

	if (uml_net_index(arg, &spec, &err) < 0)
		return err;
	err = uml_net_split_rate(spec, rest, &rate);
	if (err)
		return err;
	return host_net_parse(NULL, rest, mac, &mac_set);
}

UML_OPTION(eth, "eth", "ethN=TRANSPORT,...",
	   "network interface N (0-31): tuntap,TAP[,MAC] | daemon[,MAC[,unix[,CTLSOCK]]] | mcast[,MAC[,ADDR[,PORT[,TTL]]]] | user[,MAC], each with an optional ,rate=BITS/S limit",
	   uml_net_check);

/*
 * A MAC for an interface without one: the same for the same machine
 * (umid) and interface across boots; random when the machine has no name.
 */
static void uml_net_make_mac(struct uml_net *un, u8 *mac)
{
	u32 h;

	if (!uml_umid[0]) {
		eth_random_addr(mac);
		return;
	}
	h = jhash(uml_umid, strlen(uml_umid), un->index);
	mac[0] = 0xfe;			/* locally administered, unicast */
	mac[1] = 0xfd;
	put_unaligned_be32(h, mac + 2);
}

/* ---- the host side comes and goes ---- */

static void uml_net_lost(struct uml_net *un, int err)
{
	if (un->lost)
		return;
	un->lost = true;
	netif_carrier_off(un->dev);
	netdev_err(un->dev, "lost its host side (%s: error %d); retrying\n",
		   un->spec, err);
	schedule_delayed_work(&un->retry, UML_NET_RETRY);
}

static irqreturn_t uml_net_interrupt(int irq, void *dev_id)
{
	struct uml_net *un = dev_id;

	napi_schedule(&un->napi);
	return IRQ_HANDLED;
}

static void uml_net_free_rx(struct uml_net *un)
{
	int i, j;

	for (i = 0; i < HOST_NET_BATCH; i++) {
		kfree(un->rx_head[i]);
		un->rx_head[i] = NULL;
		for (j = 0; j < UML_NET_RX_PAGES; j++) {
			if (un->rx_page[i][j])
				__free_page(un->rx_page[i][j]);
			un->rx_page[i][j] = NULL;
		}
	}
}

/*
 * Point slot @i's buffers at its head and pages, allocating pages that
 * went to skbs; a page that cannot be had shortens the slot (a frame too
 * big for it is then dropped as oversized).
 */
static void uml_net_fill_slot(struct uml_net *un, int i, gfp_t gfp)
{
	struct host_net_iov *iov = un->rx_iov[i];
	int j, k = 0;

	iov[k].base = un->rx_head[i];
	iov[k++].len = UML_NET_RX_HEAD;
	for (j = 0; j < un->rx_pages; j++) {
		if (!un->rx_page[i][j])
			un->rx_page[i][j] = alloc_page(gfp);
		if (!un->rx_page[i][j])
			break;
		iov[k].base = page_address(un->rx_page[i][j]);
		iov[k++].len = PAGE_SIZE;
	}
	un->rx_pkt[i].iov = iov;
	un->rx_pkt[i].niov = k;
}

/* open the host side and take its IRQ; a message is printed on failure */
static int uml_net_host_open(struct uml_net *un, bool quiet)
{
	char msg[200];
	int err, i;

	err = host_net_open(un->host, un->dev->dev_addr, &un->info, msg,
			    sizeof(msg));
	if (err) {
		if (!quiet)
			netdev_err(un->dev, "%s\n", msg);
		return err;
	}
	un->rx_batch = un->info.max_frame > UML_NET_RX_HEAD ? 16 :
		HOST_NET_BATCH;
	un->rx_pages = 0;
	if (un->info.max_frame > UML_NET_RX_HEAD)
		un->rx_pages = min_t(int, UML_NET_RX_PAGES,
				     DIV_ROUND_UP(un->info.max_frame -
						  UML_NET_RX_HEAD, PAGE_SIZE));
	for (i = 0; i < un->rx_batch; i++) {
		un->rx_head[i] = kmalloc(UML_NET_RX_HEAD, GFP_KERNEL);
		if (!un->rx_head[i]) {
			err = -ENOMEM;
			goto fail;
		}
		uml_net_fill_slot(un, i, GFP_KERNEL);
	}
	err = uml_request_fd_irq(un->info.fd, NET_IRQ_BASE + un->index,
				 uml_net_interrupt, un->dev->name, un);
	if (err) {
		netdev_err(un->dev, "cannot take IRQ %d: %d\n",
			   NET_IRQ_BASE + un->index, err);
		goto fail;
	}
	un->opened = true;
	if (un->info.note[0] && !quiet)
		netdev_warn(un->dev, "%s\n", un->info.note);
	return 0;
fail:
	uml_net_free_rx(un);
	host_net_close(un->host);
	return err;
}

static void uml_net_host_close(struct uml_net *un)
{
	if (!un->opened)
		return;
	uml_free_fd_irq(un->info.fd, NET_IRQ_BASE + un->index, un);
	host_net_close(un->host);
	uml_net_free_rx(un);
	un->opened = false;
}

static void uml_net_retry(struct work_struct *work)
{
	struct uml_net *un = container_of(work, struct uml_net, retry.work);
	int err;

	rtnl_lock();
	if (!netif_running(un->dev) || !un->lost)
		goto out;
	napi_disable(&un->napi);
	netif_tx_disable(un->dev);
	uml_net_host_close(un);
	err = uml_net_host_open(un, un->lost_said);
	un->lost_said = true;
	if (err) {
		napi_enable(&un->napi);
		schedule_delayed_work(&un->retry, UML_NET_RETRY);
		goto out;
	}
	un->lost = false;
	un->lost_said = false;
	netdev_update_features(un->dev);
	napi_enable(&un->napi);
	netif_carrier_on(un->dev);
	netif_wake_queue(un->dev);
	netdev_info(un->dev, "host side back (%s)\n", un->spec);
	napi_schedule(&un->napi);
out:
	rtnl_unlock();
}

/* ---- receive ---- */

static void uml_net_rx_error(struct uml_net *un, unsigned long *counter,
			     const char *what, unsigned int len)
{
	(*counter)++;
	un->dev->stats.rx_errors++;
	if (net_ratelimit())
		netdev_warn(un->dev, "dropped a %s frame (%u bytes)\n", what,
			    len);
}

/* the skb of a frame in slot @i: head copied, pages handed over */
static struct sk_buff *uml_net_build_skb(struct uml_net *un, int i,
					 unsigned int off, unsigned int len)
{
	unsigned int head = min(len, UML_NET_RX_HEAD - off), rest = len - head;
	struct sk_buff *skb = napi_alloc_skb(&un->napi, head);
	int j;

	if (!skb)
		return NULL;
	skb_put_data(skb, un->rx_head[i] + off, head);
	for (j = 0; rest; j++) {
		unsigned int k = min_t(unsigned int, rest, PAGE_SIZE);

		skb_add_rx_frag(skb, j, un->rx_page[i][j], 0, k, PAGE_SIZE);
		un->rx_page[i][j] = NULL;
		rest -= k;
	}
	return skb;
}

static void uml_net_deliver(struct uml_net *un, int i)
{
	struct host_net_pkt *pkt = &un->rx_pkt[i];
	struct net_device *dev = un->dev;
	struct virtio_net_hdr hdr_copy, *hdr = NULL;
	unsigned int len = pkt->len, off = 0;
	struct sk_buff *skb;
	u8 *data = un->rx_head[i];

	if (pkt->trunc) {
		uml_net_rx_error(un, &dev->stats.rx_length_errors, "oversized",
				 len);
		return;
	}
	if (un->info.vnet_hdr) {
		if (len < HOST_NET_VNET_HDR_LEN) {
			uml_net_rx_error(un, &dev->stats.rx_length_errors,
					 "runt", len);
			return;
		}
		memcpy(&hdr_copy, data, sizeof(hdr_copy));
		hdr = &hdr_copy;
		off = HOST_NET_VNET_HDR_LEN;
		data += off;
		len -= off;
	}
	if (len < ETH_HLEN) {
		uml_net_rx_error(un, &dev->stats.rx_length_errors, "runt", len);
		return;
	}
	if (len > dev->mtu + VLAN_ETH_HLEN &&
	    (!hdr || hdr->gso_type == VIRTIO_NET_HDR_GSO_NONE)) {
		uml_net_rx_error(un, &dev->stats.rx_length_errors, "oversized",
				 len);
		return;
	}
	if (is_multicast_ether_addr(data + ETH_ALEN) ||
	    is_zero_ether_addr(data + ETH_ALEN)) {
		uml_net_rx_error(un, &dev->stats.rx_frame_errors,
				 "malformed (bad source address)", len);
		return;
	}
	if (un->info.echo && ether_addr_equal(data + ETH_ALEN, dev->dev_addr))
		return;		/* our own frame, back from the group */

	skb = uml_net_build_skb(un, i, off, len);
	if (!skb) {
		dev->stats.rx_dropped++;
		return;
	}
	if (hdr) {
		if (virtio_net_hdr_to_skb(skb, hdr, true)) {
			dev_kfree_skb_any(skb);
			uml_net_rx_error(un, &dev->stats.rx_frame_errors,
					 "malformed (bad offload header)",
					 len);
			return;
		}
		if (hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID)
			skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	skb->protocol = eth_type_trans(skb, dev);
	dev->stats.rx_packets++;
	dev->stats.rx_bytes += len;
	if (READ_ONCE(un->rate))
		un->rx_tokens -= len;
	napi_gro_receive(&un->napi, skb);
}

static void uml_net_tx_retry(struct uml_net *un);

/* ---- the rate limit ---- */

/*
 * the credit a direction keeps while idle: 10 ms of the rate, and at
 * least two 64 KiB frames, so that a sender pausing (TCP waiting for
 * its window) between frames as large as TSO makes them loses none
 */
static s64 uml_net_burst(u64 rate)
{
	return max_t(s64, rate / 800, 2 * 65536);
}

/* refill a bucket; the nanoseconds until it is out of debt, or 0 */
static u64 uml_net_refill(u64 rate, s64 *tokens, u64 *last)
{
	u64 now = ktime_get_ns();
	u64 add = mul_u64_u64_div_u64(now - *last, rate, 8 * NSEC_PER_SEC);

	*last = now;
	*tokens = min_t(s64, *tokens + (s64)min_t(u64, add, S64_MAX / 2),
			uml_net_burst(rate));
	if (*tokens >= 0)
		return 0;
	return mul_u64_u64_div_u64(-*tokens, 8 * NSEC_PER_SEC, rate) + 1;
}

static enum hrtimer_restart uml_net_tx_rate_timer(struct hrtimer *t)
{
	struct uml_net *un = container_of(t, struct uml_net, tx_rate_timer);

	netif_wake_queue(un->dev);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart uml_net_rx_rate_timer(struct hrtimer *t)
{
	struct uml_net *un = container_of(t, struct uml_net, rx_rate_timer);

	napi_schedule(&un->napi);
	return HRTIMER_NORESTART;
}

/* receive may go on: false (and NAPI is woken later) while in debt */
static bool uml_net_rx_allowed(struct uml_net *un)
{
	u64 rate = READ_ONCE(un->rate), wait;

	if (!rate)
		return true;
	wait = uml_net_refill(rate, &un->rx_tokens, &un->rx_last);
	if (!wait)
		return true;
	un->rx_throttled++;
	hrtimer_start(&un->rx_rate_timer, ns_to_ktime(wait), HRTIMER_MODE_REL);
	return false;
}

static int uml_net_poll(struct napi_struct *napi, int budget)
{
	struct uml_net *un = container_of(napi, struct uml_net, napi);
	int done = 0;

	if (skb_queue_len(&un->txq))
		uml_net_tx_retry(un);
	while (done < budget && !un->lost && uml_net_rx_allowed(un)) {
		int want = min(budget - done, un->rx_batch), got, i;

		for (i = 0; i < want; i++)
			uml_net_fill_slot(un, i, GFP_ATOMIC);
		got = host_net_recv(un->host, un->rx_pkt, want);
		if (got < 0) {
			uml_net_lost(un, got);
			break;
		}
		for (i = 0; i < got; i++)
			uml_net_deliver(un, i);
		done += got;
		if (got < want)
			break;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

/* ---- send ---- */

/* the vnet header of a queued skb lives in its control buffer */
static struct virtio_net_hdr *uml_net_tx_hdr(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct virtio_net_hdr) > sizeof(skb->cb));
	return (struct virtio_net_hdr *)skb->cb;
}

/*
 * Send the queued frames in one batch.  Frames the host cannot take now
 * (its socket is full) stay queued, the queue stops and a timer brings
 * NAPI back to try again: a slow peer slows the sender down instead of
 * losing frames.  Frames still stuck after UML_NET_STALL are dropped.
 */
#define UML_NET_STALL_RETRY	(100 * NSEC_PER_USEC)
#define UML_NET_STALL		(200 * NSEC_PER_MSEC)

static void uml_net_flush(struct uml_net *un)
{
	struct net_device *dev = un->dev;
	struct sk_buff *skb;
	int n = 0, sent, i;

	skb_queue_walk(&un->txq, skb) {
		struct host_net_iov *iov = un->tx_iov[n];
		int k = 0;

		if (un->info.vnet_hdr) {
			iov[k].base = uml_net_tx_hdr(skb);
			iov[k++].len = HOST_NET_VNET_HDR_LEN;
		}
		iov[k].base = skb->data;
		iov[k++].len = skb_headlen(skb);
		for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
			skb_frag_t *f = &skb_shinfo(skb)->frags[i];

			iov[k].base = skb_frag_address(f);
			iov[k++].len = skb_frag_size(f);
		}
		un->tx_pkt[n].iov = iov;
		un->tx_pkt[n].niov = k;
		n++;
	}
	if (!n)
		return;
	sent = un->lost ? 0 : host_net_send(un->host, un->tx_pkt, n);
	if (sent < 0) {
		uml_net_lost(un, sent);
		sent = 0;
	}
	for (i = 0; i < sent; i++) {
		skb = __skb_dequeue(&un->txq);
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += skb->len;
		dev_consume_skb_any(skb);
	}
	if (sent == n) {
		un->tx_stalled = 0;
		return;
	}
	if (!un->lost) {
		u64 now = ktime_get_ns();

		if (!un->tx_stalled)
			un->tx_stalled = now;
		if (now - un->tx_stalled < UML_NET_STALL) {
			netif_stop_queue(dev);
			hrtimer_start(&un->tx_timer, ns_to_ktime(UML_NET_STALL_RETRY),
				      HRTIMER_MODE_REL);
			return;
		}
	}
	/* the host side is gone, or has taken nothing for too long */
	while ((skb = __skb_dequeue(&un->txq))) {
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
	}
	un->tx_stalled = 0;
}

static enum hrtimer_restart uml_net_tx_timer(struct hrtimer *t)
{
	struct uml_net *un = container_of(t, struct uml_net, tx_timer);

	napi_schedule(&un->napi);
	return HRTIMER_NORESTART;
}

/* from NAPI: send what a full host queue held back */
static void uml_net_tx_retry(struct uml_net *un)
{
	struct net_device *dev = un->dev;

	netif_tx_lock(dev);
	if (skb_queue_len(&un->txq)) {
		uml_net_flush(un);
		if (!skb_queue_len(&un->txq))
			netif_wake_queue(dev);
	}
	netif_tx_unlock(dev);
}

static netdev_tx_t uml_net_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct uml_net *un = netdev_priv(dev);
	u64 rate = READ_ONCE(un->rate), wait;

	if (un->lost)
		goto drop;
	if (rate) {
		wait = uml_net_refill(rate, &un->tx_tokens, &un->tx_last);
		if (wait) {
			/* in debt: the stack keeps the frame until the timer */
			un->tx_throttled++;
			netif_stop_queue(dev);
			if (skb_queue_len(&un->txq))
				uml_net_flush(un);
			hrtimer_start(&un->tx_rate_timer, ns_to_ktime(wait),
				      HRTIMER_MODE_REL);
			return NETDEV_TX_BUSY;
		}
		un->tx_tokens -= skb->len;
	}
	if (un->info.vnet_hdr) {
		if (virtio_net_hdr_from_skb(skb, uml_net_tx_hdr(skb), true,
					    false, 0))
			goto drop;
	} else if (skb->ip_summed == CHECKSUM_PARTIAL &&
		   skb_checksum_help(skb)) {
		goto drop;
	}
	if (skb_shinfo(skb)->nr_frags >= HOST_NET_MAX_IOV - 2 &&
	    skb_linearize(skb))
		goto drop;
	__skb_queue_tail(&un->txq, skb);
	if (!netdev_xmit_more() || skb_queue_len(&un->txq) >= HOST_NET_BATCH)
		uml_net_flush(un);
	return NETDEV_TX_OK;
drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	if (!netdev_xmit_more() && skb_queue_len(&un->txq))
		uml_net_flush(un);
	return NETDEV_TX_OK;
}

/* ---- the net_device ---- */

/*
 * Offloads are known once the host side is open (a TAP with IFF_VNET_HDR
 * takes partial checksums and TSO); until then, and on other transports,
 * only scatter-gather.
 */
#define UML_NET_OFFLOADS (NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_TSO6 | \
			  NETIF_F_TSO_ECN)

static netdev_features_t uml_net_fix_features(struct net_device *dev,
					      netdev_features_t f)
{
	struct uml_net *un = netdev_priv(dev);

	if (!un->opened || !un->info.vnet_hdr ||
	    !(un->info.offloads & HOST_NET_OFF_TX))
		f &= ~UML_NET_OFFLOADS;
	if (!un->opened || !(un->info.offloads & HOST_NET_OFF_RX))
		f &= ~NETIF_F_RXCSUM;
	return f;
}

static int uml_net_open(struct net_device *dev)
{
	struct uml_net *un = netdev_priv(dev);
	int err;

	err = uml_net_host_open(un, false);
	if (err)
		return err;
	un->lost = un->lost_said = false;
	netdev_update_features(dev);
	napi_enable(&un->napi);
	netif_carrier_on(dev);
	netif_start_queue(dev);
	napi_schedule(&un->napi);
	return 0;
}

static int uml_net_stop(struct net_device *dev)
{
	struct uml_net *un = netdev_priv(dev);

	netif_stop_queue(dev);
	cancel_delayed_work(&un->retry);
	hrtimer_cancel(&un->tx_timer);
	hrtimer_cancel(&un->tx_rate_timer);
	hrtimer_cancel(&un->rx_rate_timer);
	napi_disable(&un->napi);
	__skb_queue_purge(&un->txq);
	un->tx_stalled = 0;
	uml_net_host_close(un);
	un->lost = false;
	return 0;
}

static const struct net_device_ops uml_net_ops = {
	.ndo_open		= uml_net_open,
	.ndo_stop		= uml_net_stop,
	.ndo_start_xmit		= uml_net_xmit,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_fix_features	= uml_net_fix_features,
};

static void uml_net_get_drvinfo(struct net_device *dev,
				struct ethtool_drvinfo *info)
{
	struct uml_net *un = netdev_priv(dev);

	strscpy(info->driver, "uml-net", sizeof(info->driver));
	strscpy(info->bus_info, un->spec, sizeof(info->bus_info));
}

static const struct ethtool_ops uml_net_ethtool_ops = {
	.get_drvinfo	= uml_net_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

/* ---- configuration: boot and hot-plug share this ---- */

static void uml_net_set_rate(struct uml_net *un, u64 rate)
{
	un->tx_tokens = un->rx_tokens = 0;
	un->tx_last = un->rx_last = ktime_get_ns();
	WRITE_ONCE(un->rate, rate);
	/* a waiting direction looks at the new rate now */
	if (netif_running(un->dev)) {
		netif_wake_queue(un->dev);
		napi_schedule(&un->napi);
	}
}

/* "config ethN=rate=BITS": a running interface's limit changed */
static int uml_net_config_rate(int n, const char *val, char *msg, size_t len)
{
	const char *err;
	u64 rate;

	err = uml_net_parse_rate(val, strlen(val), &rate);
	if (err) {
		snprintf(msg, len, "eth%d: %s", n, err);
		return -EINVAL;
	}
	mutex_lock(&uml_net_lock);
	if (!uml_nets[n]) {
		mutex_unlock(&uml_net_lock);
		snprintf(msg, len, "eth%d: no such interface", n);
		return -ENODEV;
	}
	uml_net_set_rate(uml_nets[n], rate);
	mutex_unlock(&uml_net_lock);
	snprintf(msg, len, "eth%d: rate=%llu", n, rate);
	return 0;
}

static int uml_net_config(const char *arg, char *msg, size_t len)
{
	const char *spec, *err;
	struct net_device *dev;
	struct uml_net *un;
	u8 mac[ETH_ALEN];
	int n, mac_set, ret;
	char *rest;
	void *host;
	u64 rate;

	n = uml_net_index(arg, &spec, &err);
	if (n < 0) {
		snprintf(msg, len, "eth%s: %s", arg, err);
		return -EINVAL;
	}
	if (!strncmp(spec, "rate=", 5))
		return uml_net_config_rate(n, spec + 5, msg, len);
	rest = kmalloc(UML_NET_SPEC, GFP_KERNEL);
	if (!rest)
		return -ENOMEM;
	err = uml_net_split_rate(spec, rest, &rate);
	if (err) {
		snprintf(msg, len, "eth%d: %s", n, err);
		kfree(rest);
		return -EINVAL;
	}
	host = kvzalloc(host_net_state_size(), GFP_KERNEL);
	if (!host) {
		kfree(rest);
		return -ENOMEM;
	}
	err = host_net_parse(host, rest, mac, &mac_set);
	if (err) {
		snprintf(msg, len, "eth%d: %s", n, err);
		kvfree(host);
		kfree(rest);
		return -EINVAL;
	}

	mutex_lock(&uml_net_lock);
	if (uml_nets[n]) {
		snprintf(msg, len, "eth%d exists already (remove it first)", n);
		ret = -EBUSY;
		goto out;
	}
	dev = alloc_etherdev(sizeof(*un));
	if (!dev) {
		ret = -ENOMEM;
		goto out;
	}
	snprintf(dev->name, sizeof(dev->name), "eth%d", n);
	un = netdev_priv(dev);
	un->dev = dev;
	un->index = n;
	un->host = host;
	strscpy(un->spec, rest, sizeof(un->spec));
	skb_queue_head_init(&un->txq);
	INIT_DELAYED_WORK(&un->retry, uml_net_retry);
	hrtimer_init(&un->tx_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	un->tx_timer.function = uml_net_tx_timer;
	hrtimer_init(&un->tx_rate_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	un->tx_rate_timer.function = uml_net_tx_rate_timer;
	hrtimer_init(&un->rx_rate_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	un->rx_rate_timer.function = uml_net_rx_rate_timer;
	un->rate = rate;
	un->tx_last = un->rx_last = ktime_get_ns();
	if (!mac_set)
		uml_net_make_mac(un, mac);
	eth_hw_addr_set(dev, mac);
	dev->netdev_ops = &uml_net_ops;
	dev->ethtool_ops = &uml_net_ethtool_ops;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	netif_set_tso_max_size(dev, 65536 - ETH_HLEN - 1);
	netif_napi_add(dev, &un->napi, uml_net_poll);
	dev->hw_features = NETIF_F_SG | UML_NET_OFFLOADS | NETIF_F_RXCSUM;
	dev->features = dev->hw_features;
	netif_carrier_off(dev);
	ret = register_netdev(dev);
	if (ret) {
		snprintf(msg, len, "eth%d: cannot register: %d", n, ret);
		netif_napi_del(&un->napi);
		free_netdev(dev);
		goto out;
	}
	uml_nets[n] = un;
	host = NULL;
	snprintf(msg, len, "eth%d: %s, MAC %pM", n, spec, dev->dev_addr);
out:
	mutex_unlock(&uml_net_lock);
	kvfree(host);
	kfree(rest);
	return ret;
}

static int uml_net_dev_index(const char *name, char *msg, size_t len)
{
	int n;

	if (kstrtoint(name, 10, &n) || n < 0 || n >= UML_NET_MAX) {
		snprintf(msg, len, "eth%s: no such interface number", name);
		return -EINVAL;
	}
	return n;
}

static int uml_net_get_config(const char *name, char *msg, size_t len)
{
	int n = uml_net_dev_index(name, msg, len), ret = 0;

	if (n < 0)
		return n;
	mutex_lock(&uml_net_lock);
	if (uml_nets[n] && uml_nets[n]->rate)
		snprintf(msg, len, "%s,rate=%llu", uml_nets[n]->spec,
			 uml_nets[n]->rate);
	else if (uml_nets[n])
		snprintf(msg, len, "%s", uml_nets[n]->spec);
	else
		ret = -ENODEV;
	mutex_unlock(&uml_net_lock);
	return ret;
}

static int uml_net_remove(const char *name, char *msg, size_t len)
{
	int n = uml_net_dev_index(name, msg, len);
	struct uml_net *un;

	if (n < 0)
		return n;
	mutex_lock(&uml_net_lock);
	un = uml_nets[n];
	uml_nets[n] = NULL;
	mutex_unlock(&uml_net_lock);
	if (!un) {
		snprintf(msg, len, "eth%d: no such interface", n);
		return -ENODEV;
	}
	/* unregistering takes it down (ndo_stop) first */
	unregister_netdev(un->dev);
	cancel_delayed_work_sync(&un->retry);
	kvfree(un->host);
	free_netdev(un->dev);
	return 0;
}

/*
 * For "stats": each interface's counters, named by its ethN= (the guest
 * may rename the device; these names are the provider's).
 */
static void uml_net_stats(struct uml_dev_kind *kind, struct seq_buf *s)
{
	struct net_device_stats *st;
	int n;

	mutex_lock(&uml_net_lock);
	for (n = 0; n < UML_NET_MAX; n++) {
		if (!uml_nets[n])
			continue;
		st = &uml_nets[n]->dev->stats;
		seq_buf_printf(s, "net.eth%d.rx_bytes=%lu\nnet.eth%d.rx_packets=%lu\n",
			       n, st->rx_bytes, n, st->rx_packets);
		seq_buf_printf(s, "net.eth%d.tx_bytes=%lu\nnet.eth%d.tx_packets=%lu\n",
			       n, st->tx_bytes, n, st->tx_packets);
		seq_buf_printf(s, "net.eth%d.rx_dropped=%lu\nnet.eth%d.tx_dropped=%lu\n",
			       n, st->rx_dropped, n, st->tx_dropped);
		seq_buf_printf(s, "net.eth%d.rate_bps=%llu\nnet.eth%d.tx_throttled=%llu\nnet.eth%d.rx_throttled=%llu\n",
			       n, uml_nets[n]->rate, n, uml_nets[n]->tx_throttled,
			       n, uml_nets[n]->rx_throttled);
	}
	mutex_unlock(&uml_net_lock);
}

static struct uml_dev_kind uml_net_kind = {
	.name		= "eth",
	.config		= uml_net_config,
	.get_config	= uml_net_get_config,
	.remove		= uml_net_remove,
	.stats		= uml_net_stats,
};

/* boot: ethN= options, kept until the device initcall configures them */
static const char *uml_net_boot[UML_NET_MAX];

static int __init uml_net_setup(char *str)
{
	const char *spec, *err;
	int n = uml_net_index(str, &spec, &err);

	if (n < 0)
		pr_err("eth%s: %s\n", str, err);
	else
		uml_net_boot[n] = str;
	return 1;
}
__setup("eth", uml_net_setup);

static int __init uml_net_init(void)
{
	char msg[256];
	int i;

	uml_dev_register(&uml_net_kind);
	for (i = 0; i < UML_NET_MAX; i++) {
		if (!uml_net_boot[i])
			continue;
		if (uml_net_config(uml_net_boot[i], msg, sizeof(msg)))
			pr_err("%s\n", msg);
		else
			pr_info("%s\n", msg);
	}
	return 0;
}
device_initcall(uml_net_init);
