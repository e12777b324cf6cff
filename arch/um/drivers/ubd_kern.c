// SPDX-License-Identifier: GPL-2.0
/*
 * ubd: block devices backed by host files.
 *
 * ubdN[r][s]=FILE gives /dev/ubd<letter> (major 98, 16 minors a disk).
 * Requests go through blk-mq to the host I/O thread (ubd_user.c) and
 * complete from its pipe's IRQ, so the kernel runs on while the host
 * does the I/O.  Flags: r = read-only, s = synchronous writes (O_SYNC).
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/fdirq.h>
#include <host/file.h>
#include <host/options.h>
#include <host/ubd.h>

#define UBD_MAX_DEV	16
#define UBD_MINORS	16
#define UBD_QUEUE_DEPTH	64

struct ubd {
	const char *file;
	bool ro;
	bool sync;
	int fd;
	unsigned long long size;
	struct gendisk *disk;
	struct blk_mq_tag_set tag_set;
};

static struct ubd ubd_devs[UBD_MAX_DEV];
static int ubd_submit_fd = -1, ubd_done_fd = -1;

/*
 * "ubdN[flags]=FILE" -> device number, or -1.  Sets the flags, points @file
 * into @arg, and sets @err to a message when @arg is malformed.
 */
static int ubd_parse(const char *arg, bool *ro, bool *sync,
		     const char **file, const char **err)
{
	const char *p = arg;
	int n;

	*ro = *sync = false;
	if (*p >= '0' && *p <= '9') {
		n = *p++ - '0';
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (*p++ - '0');
	} else if (*p >= 'a' && *p <= 'z') {
		n = *p++ - 'a';
	} else {
		*err = "expected a device number, as in ubd0=FILE";
		return -1;
	}
	if (n >= UBD_MAX_DEV) {
		*err = "device number too large (at most 15)";
		return -1;
	}
	for (; *p && *p != '='; p++) {
		if (*p == 'r') {
			*ro = true;
		} else if (*p == 's') {
			*sync = true;
		} else if (*p == 'd' || *p == 'c') {
			/* classic flags for COW handling: nothing to do yet */
		} else {
			*err = "unknown flag (flags are r and s, as in ubd0r=FILE)";
			return -1;
		}
	}
	if (*p != '=') {
		*err = "expected '=' and a file name, as in ubd0=root.img";
		return -1;
	}
	*file = p + 1;
	if (strchr(*file, ',')) {
		*err = "copy-on-write files (ubdN=COW,BACKING) are not supported yet";
		return -1;
	}
	*err = NULL;
	return n;
}

static const char *ubd_check(const char *arg)
{
	const char *file, *err;
	bool ro, sync;

	if (ubd_parse(arg, &ro, &sync, &file, &err) < 0)
		return err;
	return ubd_check_file(file, !ro);
}

UML_OPTION(ubd, "ubd", "ubdN[r][s]=FILE",
	   "disk N (0-15) from FILE: /dev/ubda for 0; r read-only, s sync",
	   ubd_check);

static int __init ubd_setup(char *str)
{
	const char *file, *err;
	bool ro, sync;
	int n = ubd_parse(str, &ro, &sync, &file, &err);

	if (n < 0) {
		pr_err("ubd%s: %s\n", str, err);
		return 1;
	}
	/* the command line copy lives on; slab is not up yet */
	ubd_devs[n].file = file;
	ubd_devs[n].ro = ro;
	ubd_devs[n].sync = sync;
	return 1;
}
__setup("ubd", ubd_setup);

static blk_status_t ubd_queue_rq(struct blk_mq_hw_ctx *hctx,
				 const struct blk_mq_queue_data *bd)
{
	struct request *req = bd->rq;
	struct ubd *ubd = hctx->queue->queuedata;
	struct ubd_io *io = blk_mq_rq_to_pdu(req);
	struct req_iterator iter;
	struct bio_vec bv;
	long n;

	io->fd = ubd->fd;
	io->cookie = req;
	io->nr = 0;
	io->offset = (unsigned long long)blk_rq_pos(req) << SECTOR_SHIFT;

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
	default:
		return BLK_STS_NOTSUPP;
	}
	if (io->op != UBD_FLUSH) {
		rq_for_each_segment(bv, req, iter) {
			if (io->nr == UBD_MAX_SEGS)
				return BLK_STS_IOERR;
			io->seg[io->nr].buf = bvec_virt(&bv);
			io->seg[io->nr].len = bv.bv_len;
			io->nr++;
		}
	}

	blk_mq_start_request(req);
	/* a pointer is far below PIPE_BUF: the write is atomic */
	n = host_write(ubd_submit_fd, &io, sizeof(io));
	if (n != sizeof(io)) {
		pr_err("ubd: cannot queue request: %ld\n", n);
		return BLK_STS_IOERR;
	}
	return BLK_STS_OK;
}

static irqreturn_t ubd_interrupt(int irq, void *dev)
{
	struct ubd_io *done[32];
	long n;
	int i;

	for (;;) {
		n = host_read(ubd_done_fd, done, sizeof(done));
		if (n <= 0)
			break;
		for (i = 0; i < n / (long)sizeof(done[0]); i++) {
			struct request *req = done[i]->cookie;

			if (done[i]->result)
				pr_err_ratelimited("ubd: I/O error %d at sector %llu\n",
						   done[i]->result,
						   (unsigned long long)blk_rq_pos(req));
			blk_mq_end_request(req, done[i]->result ?
					   BLK_STS_IOERR : BLK_STS_OK);
		}
	}
	return IRQ_HANDLED;
}

static const struct blk_mq_ops ubd_mq_ops = {
	.queue_rq	= ubd_queue_rq,
};

static const struct block_device_operations ubd_fops = {
	.owner		= THIS_MODULE,
};

static int __init ubd_add(int n)
{
	struct ubd *ubd = &ubd_devs[n];
	struct queue_limits lim = {
		.logical_block_size	= SECTOR_SIZE,
		.max_segments		= UBD_MAX_SEGS,
		.max_segment_size	= PAGE_SIZE,
		.max_hw_sectors		= UBD_MAX_SEGS * (PAGE_SIZE >> SECTOR_SHIFT),
		.features		= BLK_FEAT_WRITE_CACHE,
	};
	struct gendisk *disk;
	long long size;
	int flags = HOST_O_EXCL | (ubd->sync ? HOST_O_SYNC : 0);
	int err;

	ubd->fd = host_open(ubd->file, flags | (ubd->ro ? HOST_O_RDONLY : HOST_O_RDWR));
	if (ubd->fd == -EACCES || ubd->fd == -EROFS) {
		ubd->fd = host_open(ubd->file, flags | HOST_O_RDONLY);
		if (ubd->fd >= 0) {
			pr_warn("ubd%d: %s is read-only on the host\n", n, ubd->file);
			ubd->ro = true;
		}
	}
	if (ubd->fd == -EWOULDBLOCK) {
		pr_err("ubd%d: %s is in use by another process\n", n, ubd->file);
		return ubd->fd;
	}
	if (ubd->fd < 0) {
		pr_err("ubd%d: cannot open %s: %s\n", n, ubd->file,
		       host_strerror(-ubd->fd));
		return ubd->fd;
	}
	size = host_file_size(ubd->fd);
	if (size < 0) {
		err = size;
		goto out_close;
	}
	ubd->size = size & ~(SECTOR_SIZE - 1ULL);

	ubd->tag_set.ops = &ubd_mq_ops;
	ubd->tag_set.nr_hw_queues = 1;
	ubd->tag_set.queue_depth = UBD_QUEUE_DEPTH;
	ubd->tag_set.numa_node = NUMA_NO_NODE;
	ubd->tag_set.cmd_size = sizeof(struct ubd_io);
	ubd->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	err = blk_mq_alloc_tag_set(&ubd->tag_set);
	if (err)
		goto out_close;

	disk = blk_mq_alloc_disk(&ubd->tag_set, &lim, ubd);
	if (IS_ERR(disk)) {
		err = PTR_ERR(disk);
		goto out_tags;
	}
	disk->major = UBD_MAJOR;
	disk->first_minor = n * UBD_MINORS;
	disk->minors = UBD_MINORS;
	disk->fops = &ubd_fops;
	disk->private_data = ubd;
	snprintf(disk->disk_name, DISK_NAME_LEN, "ubd%c", 'a' + n);
	set_capacity(disk, ubd->size >> SECTOR_SHIFT);
	if (ubd->ro)
		set_disk_ro(disk, true);
	err = add_disk(disk);
	if (err)
		goto out_disk;
	ubd->disk = disk;
	pr_info("ubd%c: %s, %llu MiB%s%s\n", 'a' + n, ubd->file,
		ubd->size >> 20, ubd->ro ? ", read-only" : "",
		ubd->sync ? ", synchronous" : "");
	return 0;

out_disk:
	put_disk(disk);
out_tags:
	blk_mq_free_tag_set(&ubd->tag_set);
out_close:
	host_close(ubd->fd);
	pr_err("ubd%d: %s: error %d\n", n, ubd->file, err);
	return err;
}

static int __init ubd_init(void)
{
	int n, err, any = 0;

	for (n = 0; n < UBD_MAX_DEV; n++)
		any |= !!ubd_devs[n].file;
	if (!any)
		return 0;

	err = register_blkdev(UBD_MAJOR, "ubd");
	if (err)
		return err;
	err = ubd_io_thread_start(&ubd_submit_fd, &ubd_done_fd);
	if (!err)
		err = uml_request_fd_irq(ubd_done_fd, UBD_IRQ, ubd_interrupt,
					 "ubd", ubd_devs);
	if (err) {
		pr_err("ubd: cannot start host I/O: %d\n", err);
		return err;
	}
	for (n = 0; n < UBD_MAX_DEV; n++)
		if (ubd_devs[n].file)
			ubd_add(n);
	return 0;
}
device_initcall(ubd_init);
