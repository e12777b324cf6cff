// SPDX-License-Identifier: GPL-2.0
/*
 * ubd: block devices backed by host files, host block devices and
 * copy-on-write files (the kernel half; the host half is ubd_user.c).
 *
 * ubdN[flags]=FILE[,BACKING] gives /dev/ubd<letter> (major 98, 16 minors
 * a disk).  Flags: r read-only, s synchronous, d data only (never a COW
 * file), c shared (no lock), t no discard, f accept a changed backing
 * file.  Requests go through blk-mq to the host I/O threads and complete
 * from their pipe's IRQ, so the kernel runs on while the host does the
 * I/O.  The same configuration code serves the command line and the
 * management console (the "ubd" kind of asm/umdev.h).
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/part_stat.h>
#include <linux/seq_buf.h>
#include <asm/fdirq.h>
#include <asm/hosting.h>
#include <asm/umdev.h>
#include <host/file.h>
#include <host/options.h>
#include <host/ubd.h>

#define UBD_MAX_DEV	16
#define UBD_MINORS	16
/*
 * Requests in flight per disk.  Each one carries a struct ubd_io (a
 * segment table of 4 KiB), allocated and zeroed for the whole depth when
 * the disk is added: the library, which starts a kernel in every run of
 * a tool, keeps fewer (32 MiB in flight is still more than a copy needs).
 */
#ifdef CONFIG_UML_LIB
#define UBD_QUEUE_DEPTH	32
#else
#define UBD_QUEUE_DEPTH	UBD_SUBMIT_MAX
#endif
#define UBD_ARG_MAX	(2 * 4096 + 32)
#define UBD_INLINE_MAX	(64 << 10)

struct ubd {
	int n;
	char *arg;			/* "FILE[,BACKING]", split at the comma */
	struct ubd_host_spec spec;	/* points into arg */
	struct ubd_host_info info;
	struct ubd_host_disk *host;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
	spinlock_t batch_lock;		/* requests not yet at the host */
	int nbatch;
	struct ubd_io *batch[UBD_SUBMIT_MAX];
};

static struct ubd *ubd_devs[UBD_MAX_DEV];
static DEFINE_MUTEX(ubd_lock);		/* ubd_devs, configuration */
static const char *ubd_boot_args[UBD_MAX_DEV];
static bool ubd_io_running;
static int ubd_done_fd = -1;
static atomic_t ubd_inflight = ATOMIC_INIT(0);	/* at the host threads */

/* the flags, one letter each: read-only, sync, data only, shared, no trim, force */
#define UBD_FLAGS	"rsdctf"

/*
 * The device number at *@p: one or two digits, or a letter ('a' is 0);
 * *@p moves past it.  Return: the number (maybe too large), or -1.
 */
static int ubd_number(const char **p)
{
	const char *s = *p;
	int n;

	if (*s >= '0' && *s <= '9') {
		n = *s++ - '0';
		if (*s >= '0' && *s <= '9')
			n = n * 10 + (*s++ - '0');
	} else if (*s >= 'a' && *s <= 'z') {
		n = *s++ - 'a';
	} else {
		return -1;
	}
	*p = s;
	return n;
}

/*
 * "N[flags]=FILE[,BACKING]" (the option without its "ubd") -> device
 * number, or -1 with @err set.  @buf (UBD_ARG_MAX bytes) receives the
 * file names; @spec points into it.
 */
static int ubd_parse(const char *arg, struct ubd_host_spec *spec, char *buf,
		     const char **err)
{
	const char *p = arg;
	char *comma;
	int n;

	memset(spec, 0, sizeof(*spec));
	n = ubd_number(&p);
	if (n < 0) {
		*err = "expected a device number, as in ubd0=FILE";
		return -1;
	}
	if (n >= UBD_MAX_DEV) {
		*err = "device number too large (at most 15)";
		return -1;
	}
	for (; *p && *p != '='; p++) {
		/* the flag letters, in the order of the fields they set */
		int *fields[] = { &spec->ro, &spec->sync, &spec->data_only,
				  &spec->shared, &spec->no_trim, &spec->force };
		const char *flag = strchr(UBD_FLAGS, *p);

		if (!flag) {
			*err = "unknown flag (flags are r, s, d, c, t and f, as in ubd0r=FILE)";
			return -1;
		}
		*fields[flag - UBD_FLAGS] = 1;
	}
	if (*p != '=') {
		*err = "expected '=' and a file name, as in ubd0=root.img";
		return -1;
	}
	if (strscpy(buf, p + 1, UBD_ARG_MAX) < 0) {
		*err = "file names too long";
		return -1;
	}
	spec->file = buf;
	comma = strchr(buf, ',');
	if (comma) {
		*comma = 0;
		spec->backing = comma + 1;
		if (!*spec->backing) {
			*err = "empty backing file name after ','";
			return -1;
		}
		if (spec->data_only) {
			*err = "flag d (data only) and a backing file contradict";
			return -1;
		}
	}
	*err = NULL;
	return n;
}

/* before boot, from main(): the same checks as opening, but no changes */
static const char *ubd_check(const char *arg)
{
	static char buf[UBD_ARG_MAX], msg[512];
	static struct ubd_host_info info;
	struct ubd_host_spec spec;
	const char *err;

	int n;

	n = ubd_parse(arg, &spec, buf, &err);
	if (n < 0)
		return err;
	if (ubd_host_open(&spec, UBD_OPEN_CHECK, NULL, &info, msg, sizeof(msg)))
		return msg;
	if (ubd_host_check_boot(n, &spec, msg, sizeof(msg)))
		return msg;
	return NULL;
}

UML_OPTION(ubd, "ubd", "ubdN[rsdctf]=FILE[,BACKING]",
	   "disk N (0-15): FILE, or COW file FILE over BACKING (made if missing); r read-only, s sync, d not COW, c no lock, t no discard, f accept changed backing",
	   ubd_check);

static blk_status_t ubd_status(struct request *req, int res)
{
	if (!res)
		return BLK_STS_OK;
	if (res == -EOPNOTSUPP)
		return BLK_STS_NOTSUPP;
	pr_err_ratelimited("%s: I/O error %d at sector %llu\n",
			   req->q->disk->disk_name, res,
			   (unsigned long long)blk_rq_pos(req));
	return BLK_STS_IOERR;
}

/* hand the batched requests to the host threads; under batch_lock */
static void ubd_submit_batch(struct ubd *ubd)
{
	int i, n = ubd->nbatch, err;

	if (!n)
		return;
	ubd->nbatch = 0;
	err = ubd_io_submit(ubd->batch, n);
	if (!err)
		return;
	pr_err_ratelimited("%s: cannot queue requests: %d\n",
			   ubd->disk->disk_name, err);
	for (i = 0; i < n; i++) {
		atomic_dec(&ubd_inflight);
		blk_mq_end_request(ubd->batch[i]->cookie, BLK_STS_IOERR);
	}
}

static blk_status_t ubd_queue_rq(struct blk_mq_hw_ctx *hctx,
				 const struct blk_mq_queue_data *bd)
{
	struct request *req = bd->rq;
	struct ubd *ubd = hctx->queue->queuedata;
	struct ubd_io *io = blk_mq_rq_to_pdu(req);
	struct req_iterator iter;
	struct bio_vec bv;

	io->disk = ubd->host;
	io->cookie = req;
	io->nr = 0;
	io->fua = !!(req->cmd_flags & REQ_FUA);
	io->offset = (unsigned long long)blk_rq_pos(req) << SECTOR_SHIFT;
	io->len = blk_rq_bytes(req);

	switch (req_op(req)) {
	case REQ_OP_READ:
		io->op = UBD_READ;
		break;
	case REQ_OP_WRITE:
		io->op = UBD_WRITE;
		break;
	case REQ_OP_FLUSH:
		io->op = UBD_FLUSH;
		break;
	case REQ_OP_DISCARD:
		io->op = UBD_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		io->op = UBD_ZEROES;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	if (io->op == UBD_READ || io->op == UBD_WRITE) {
		/*
		 * Physical memory is one mapping, so a multi-page bvec is
		 * contiguous: the host thread reads and writes it in place.
		 */
		rq_for_each_bvec(bv, req, iter) {
			if (io->nr == UBD_MAX_SEGS)
				return BLK_STS_IOERR;
			io->seg[io->nr].buf = bvec_virt(&bv);
			io->seg[io->nr].len = bv.bv_len;
			io->nr++;
		}
	}

	blk_mq_start_request(req);
	/*
	 * A small read alone at the host whose data is in the host's page
	 * cache: done now, which saves two thread hand-offs of latency.
	 * With requests in flight the threads overlap them instead.
	 */
	if (!atomic_read(&ubd_inflight) && io->len <= UBD_INLINE_MAX &&
	    ubd_io_try(io)) {
		blk_mq_end_request(req, ubd_status(req, io->result));
		return BLK_STS_OK;
	}
	/* batched: one host call for all that blk-mq hands over at once */
	atomic_inc(&ubd_inflight);
	spin_lock(&ubd->batch_lock);
	ubd->batch[ubd->nbatch++] = io;
	if (bd->last || ubd->nbatch == UBD_SUBMIT_MAX)
		ubd_submit_batch(ubd);
	spin_unlock(&ubd->batch_lock);
	return BLK_STS_OK;
}

static void ubd_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct ubd *ubd = hctx->queue->queuedata;

	spin_lock(&ubd->batch_lock);
	ubd_submit_batch(ubd);
	spin_unlock(&ubd->batch_lock);
}

static irqreturn_t ubd_interrupt(int irq, void *dev)
{
	struct ubd_io *done[64];
	long n;
	int i;

	for (;;) {
		n = host_read(ubd_done_fd, done, sizeof(done));
		if (n <= 0)
			break;
		for (i = 0; i < n / (long)sizeof(done[0]); i++) {
			struct request *req = done[i]->cookie;

			atomic_dec(&ubd_inflight);
			blk_mq_end_request(req, ubd_status(req, done[i]->result));
		}
	}
	return IRQ_HANDLED;
}

static const struct blk_mq_ops ubd_mq_ops = {
	.queue_rq	= ubd_queue_rq,
	.commit_rqs	= ubd_commit_rqs,
};

static const struct block_device_operations ubd_fops = {
	.owner		= THIS_MODULE,
};

/* the host I/O threads and their IRQ, started with the first disk */
static int ubd_start_io(void)
{
	int err;

	if (ubd_io_running)
		return 0;
	err = ubd_io_start(&ubd_done_fd);
	if (!err)
		err = uml_request_fd_irq(ubd_done_fd, UBD_IRQ, ubd_interrupt,
					 "ubd", ubd_devs);
	if (err)
		return err;
	ubd_io_running = true;
	return 0;
}

static int ubd_add_disk(struct ubd *ubd)
{
	struct queue_limits lim = {
		.logical_block_size	= ubd->info.blksize,
		.physical_block_size	= ubd->info.physblksize,
		.max_segments		= UBD_MAX_SEGS,
		.max_hw_sectors		= 2048,	/* 1 MiB */
		.max_segment_size	= 1 << 20,	/* memory is contiguous */
		.features		= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA,
	};
	struct gendisk *disk;
	int err;

	if (ubd->info.discard) {
		lim.max_hw_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
		lim.max_write_zeroes_sectors = UINT_MAX >> SECTOR_SHIFT;
		lim.discard_granularity = PAGE_SIZE;
	}
	ubd->tag_set.ops = &ubd_mq_ops;
	ubd->tag_set.nr_hw_queues = 1;
	ubd->tag_set.queue_depth = UBD_QUEUE_DEPTH;
	ubd->tag_set.numa_node = NUMA_NO_NODE;
	ubd->tag_set.cmd_size = sizeof(struct ubd_io);
	ubd->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(&ubd->tag_set);
	if (err)
		return err;

	disk = blk_mq_alloc_disk(&ubd->tag_set, &lim, ubd);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto out_tags;
	}
	disk->major = UBD_MAJOR;
	disk->first_minor = ubd->n * UBD_MINORS;
	disk->minors = UBD_MINORS;
	disk->fops = &ubd_fops;
	disk->private_data = ubd;
	snprintf(disk->disk_name, DISK_NAME_LEN, "ubd%c", 'a' + ubd->n);
	set_capacity(disk, ubd->info.size >> SECTOR_SHIFT);
	if (ubd->info.ro)
		set_disk_ro(disk, true);
	err = add_disk(disk);
	if (err)
		goto out_disk;
	ubd->disk = disk;
	return 0;

out_disk:
	put_disk(disk);
out_tags:
	blk_mq_free_tag_set(&ubd->tag_set);
	return err;
}

static void ubd_free(struct ubd *ubd)
{
	kfree(ubd->arg);
	kfree(ubd);
}

/* "config ubdN=+SIZE": a running disk grows by SIZE */
static int ubd_grow(int n, const char *arg, char *msg, size_t len)
{
	static char hmsg[512];	/* under ubd_lock */
	unsigned long long add, size;
	struct ubd *ubd;
	char *end;
	int ret;

	add = (*arg >= '0' && *arg <= '9') ? memparse(arg, &end) : 0;
	if (!add || *end) {
		snprintf(msg, len, "ubd%d: '+%s' is not a size to grow by (a number with an optional K, M or G)",
			 n, arg);
		return -EINVAL;
	}
	add = round_up(add, 4096);
	mutex_lock(&ubd_lock);
	ubd = ubd_devs[n];
	if (!ubd) {
		snprintf(msg, len, "ubd%d is not configured", n);
		ret = -ENODEV;
		goto out;
	}
	size = ubd->info.size + add;
	if (size < add || size >> SECTOR_SHIFT > (sector_t)-1 >> 1) {
		snprintf(msg, len, "ubd%d: too large", n);
		ret = -EINVAL;
		goto out;
	}
	ret = ubd_host_grow(ubd->host, &ubd->info, size, hmsg, sizeof(hmsg));
	if (ret) {
		snprintf(msg, len, "ubd%d: %s", n, hmsg);
		goto out;
	}
	ubd->info.size = size;
	set_capacity_and_notify(ubd->disk, size >> SECTOR_SHIFT);
	snprintf(msg, len, "ubd%d: %llu bytes", n, size);
	pr_info("%s: grown to %llu MiB\n", ubd->disk->disk_name, size >> 20);
out:
	mutex_unlock(&ubd_lock);
	return ret;
}

/*
 * the "config" hook: "N[flags]=FILE[,BACKING]", the boot path too; or
 * "N=+SIZE" to grow a disk
 */
static int ubd_config(const char *arg, char *msg, size_t len)
{
	static char hmsg[512];	/* under ubd_lock */
	struct ubd *ubd;
	const char *err, *p = arg;
	int n, ret;

	n = ubd_number(&p);
	if (n >= 0 && n < UBD_MAX_DEV && p[0] == '=' && p[1] == '+')
		return ubd_grow(n, p + 2, msg, len);

	ubd = kzalloc(sizeof(*ubd), GFP_KERNEL);
	if (!ubd)
		return -ENOMEM;
	ubd->arg = kmalloc(UBD_ARG_MAX, GFP_KERNEL);
	if (!ubd->arg) {
		ret = -ENOMEM;
		goto out_free;
	}
	n = ubd_parse(arg, &ubd->spec, ubd->arg, &err);
	if (n < 0) {
		snprintf(msg, len, "ubd%s: %s", arg, err);
		ret = -EINVAL;
		goto out_free;
	}
	ubd->n = n;
	spin_lock_init(&ubd->batch_lock);

	mutex_lock(&ubd_lock);
	if (ubd_devs[n]) {
		snprintf(msg, len, "ubd%d is already configured (%s)", n,
			 ubd_devs[n]->spec.file);
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = ubd_start_io();
	if (ret) {
		snprintf(msg, len, "ubd%d: cannot start host I/O: %d", n, ret);
		goto out_unlock;
	}
	ret = ubd_host_open(&ubd->spec, 0, &ubd->host, &ubd->info, hmsg,
			    sizeof(hmsg));
	if (ret) {
		snprintf(msg, len, "ubd%d: %s", n, hmsg);
		goto out_unlock;
	}
	ret = ubd_add_disk(ubd);
	if (ret) {
		snprintf(msg, len, "ubd%d: cannot add the disk: %d", n, ret);
		ubd_host_close(ubd->host);
		goto out_unlock;
	}
	ubd_devs[n] = ubd;
	mutex_unlock(&ubd_lock);
	if (len)
		msg[0] = '\0';		/* nothing to say on success */

	pr_info("%s: %s%s%s, %llu MiB%s%s%s%s\n", ubd->disk->disk_name,
		ubd->spec.file, ubd->info.cow ? " over " : "",
		ubd->info.cow ? ubd->info.backing : "", ubd->info.size >> 20,
		ubd->info.created ? ", new COW file" : "",
		ubd->info.ro ? ", read-only" : "",
		ubd->spec.sync ? ", synchronous" : "",
		ubd->info.discard ? ", discard" : "");
	if (ubd->info.ro && !ubd->spec.ro)
		pr_warn("ubd%d: %s is read-only on the host\n", n,
			ubd->spec.file);
	return 0;

out_unlock:
	mutex_unlock(&ubd_lock);
out_free:
	ubd_free(ubd);
	return ret;
}

static int ubd_dev_number(const char *dev, char *msg, size_t len)
{
	int n;

	if (*dev >= 'a' && *dev <= 'p' && !dev[1])
		return *dev - 'a';
	if (kstrtoint(dev, 10, &n) || n < 0 || n >= UBD_MAX_DEV) {
		snprintf(msg, len, "ubd%s: no such device (0-15)", dev);
		return -EINVAL;
	}
	return n;
}

static int ubd_get_config(const char *dev, char *msg, size_t len)
{
	struct ubd *ubd;
	int n = ubd_dev_number(dev, msg, len);

	if (n < 0)
		return n;
	mutex_lock(&ubd_lock);
	ubd = ubd_devs[n];
	if (!ubd)
		snprintf(msg, len, "ubd%d is not configured", n);
	else if (ubd->info.cow)
		snprintf(msg, len, "%s,%s", ubd->spec.file, ubd->info.backing);
	else
		snprintf(msg, len, "%s", ubd->spec.file);
	mutex_unlock(&ubd_lock);
	return ubd ? 0 : -ENODEV;
}

static int ubd_remove(const char *dev, char *msg, size_t len)
{
	struct ubd *ubd;
	int n = ubd_dev_number(dev, msg, len);

	if (n < 0)
		return n;
	mutex_lock(&ubd_lock);
	ubd = ubd_devs[n];
	if (!ubd) {
		mutex_unlock(&ubd_lock);
		snprintf(msg, len, "ubd%d is not configured", n);
		return -ENODEV;
	}
	if (disk_openers(ubd->disk)) {
		mutex_unlock(&ubd_lock);
		snprintf(msg, len, "ubd%d is in use (open or mounted)", n);
		return -EBUSY;
	}
	ubd_devs[n] = NULL;
	mutex_unlock(&ubd_lock);

	/* waits for requests in flight */
	del_gendisk(ubd->disk);
	put_disk(ubd->disk);
	blk_mq_free_tag_set(&ubd->tag_set);
	ubd_host_close(ubd->host);
	pr_info("ubd%d: removed\n", n);
	if (len)
		msg[0] = '\0';
	ubd_free(ubd);
	return 0;
}

/* for "stats": "disk.ubdN.*", what each disk moved (block layer counters) */
static void ubd_stats(struct uml_dev_kind *kind, struct seq_buf *s)
{
	struct block_device *part;
	int n;

	mutex_lock(&ubd_lock);
	for (n = 0; n < UBD_MAX_DEV; n++) {
		if (!ubd_devs[n])
			continue;
		part = ubd_devs[n]->disk->part0;
		seq_buf_printf(s, "disk.ubd%d.read_bytes=%llu\ndisk.ubd%d.write_bytes=%llu\n",
			       n, (u64)part_stat_read(part, sectors[STAT_READ]) << SECTOR_SHIFT,
			       n, (u64)part_stat_read(part, sectors[STAT_WRITE]) << SECTOR_SHIFT);
		seq_buf_printf(s, "disk.ubd%d.reads=%lu\ndisk.ubd%d.writes=%lu\ndisk.ubd%d.size_bytes=%llu\n",
			       n, part_stat_read(part, ios[STAT_READ]),
			       n, part_stat_read(part, ios[STAT_WRITE]),
			       n, (u64)get_capacity(ubd_devs[n]->disk) << SECTOR_SHIFT);
	}
	mutex_unlock(&ubd_lock);
}

static struct uml_dev_kind ubd_kind = {
	.name		= "ubd",
	.config		= ubd_config,
	.get_config	= ubd_get_config,
	.remove		= ubd_remove,
	.stats		= ubd_stats,
};

/* the command line is parsed before slab: remember, configure later */
static int __init ubd_setup(char *str)
{
	const char *p = str;
	int n = ubd_number(&p);

	if (n < 0 || n >= UBD_MAX_DEV) {
		pr_err("ubd%s: bad device number\n", str);
		return 1;
	}
	ubd_boot_args[n] = str;
	return 1;
}
__setup("ubd", ubd_setup);

static int __init ubd_init(void)
{
	char msg[512];
	int n, err;

	err = register_blkdev(UBD_MAJOR, "ubd");
	if (err)
		return err;
	uml_dev_register(&ubd_kind);
	for (n = 0; n < UBD_MAX_DEV; n++)
		if (ubd_boot_args[n] && ubd_config(ubd_boot_args[n], msg,
						   sizeof(msg)))
			pr_err("%s\n", msg);
	return 0;
}
device_initcall(ubd_init);
