/* io_uring_prep_cmd_discard on a loop device over a scratch file: the
 * discarded range reads back as zeros (the loop driver punches a hole in
 * the backing file), the bytes around it are untouched. Skips when no
 * loop device can be set up. */
#include <linux/loop.h>
#include <sys/ioctl.h>
#include "prep_util.h"
#include "kernel.h"

#define SIZE (1 << 20)

/* Attaches `backing` to a free loop device that detaches itself when
 * closed; returns its fd opened read-write. */
static int attach_loop(int backing)
{
	struct loop_config cfg = { .fd = (unsigned) backing };
	char dev[32];
	int ctl = open("/dev/loop-control", O_RDWR);

	if (ctl < 0)
		SKIP("no /dev/loop-control: %s", strerror(errno));
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	for (int attempt = 0; attempt < 10; attempt++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE), fd;

		if (n < 0)
			SKIP("no free loop device: %s", strerror(errno));
		snprintf(dev, sizeof(dev), "/dev/loop%d", n);
		fd = open(dev, O_RDWR);
		if (fd < 0)
			SKIP("cannot open %s: %s", dev, strerror(errno));
		if (ioctl(fd, LOOP_CONFIGURE, &cfg) == 0) {
			close(ctl);
			return fd;
		}
		if (errno != EBUSY)
			SKIP("LOOP_CONFIGURE on %s: %s", dev, strerror(errno));
		close(fd);
	}
	SKIP("loop devices stayed busy");
}

static int all(const char *buf, size_t len, int byte)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char) buf[i] != byte)
			return 0;
	return 1;
}

int main(void)
{
	static char buf[SIZE];
	struct io_uring ring;
	char path[128];
	int backing, dev, ret;

	RING_INIT(&ring, 4, 0);
	NEED_OP(IORING_OP_URING_CMD);
	snprintf(path, sizeof(path), "%s/disk", scratch_dir());
	backing = open(path, O_RDWR | O_CREAT, 0600);
	CHECK(backing >= 0);
	memset(buf, 0xab, SIZE);
	CHECK_EQ(pwrite(backing, buf, SIZE, 0), SIZE);
	CHECK_EQ(fsync(backing), 0);
	dev = attach_loop(backing);

	/* A hand-built discard decides the skip; the bytes are then rewritten. */
	struct io_uring_sqe raw = { .opcode = IORING_OP_URING_CMD, .fd = dev, .cmd_op = BLOCK_URING_CMD_DISCARD,
				    .addr = 8192, .addr3 = 16384 };
	if (kernel_sqe(&raw))
		SKIP_LACKS("BLOCK_URING_CMD_DISCARD on loop devices");
	CHECK_EQ(pwrite(dev, buf, SIZE, 0), SIZE);
	CHECK_EQ(fsync(dev), 0);

	io_uring_prep_cmd_discard(sqe_of(&ring), dev, 8192, 16384);
	ret = run1(&ring);
	CHECK_EQ(ret, 0);

	/* Through the device and in the backing file: zeros in the range,
	 * the old bytes around it. */
	CHECK_EQ(pread(dev, buf, SIZE, 0), SIZE);
	CHECK(all(buf, 8192, 0xab));
	CHECK(all(buf + 8192, 16384, 0));
	CHECK(all(buf + 8192 + 16384, SIZE - 8192 - 16384, 0xab));
	CHECK_EQ(pread(backing, buf, SIZE, 0), SIZE);
	CHECK(all(buf + 8192, 16384, 0));
	CHECK(all(buf + 8192 + 16384, 4096, 0xab));

	/* The range must be sector aligned. */
	io_uring_prep_cmd_discard(sqe_of(&ring), dev, 100, 4096);
	CHECK_EQ(run1(&ring), -EINVAL);

	close(dev);
	close(backing);
	io_uring_queue_exit(&ring);
	return 0;
}
