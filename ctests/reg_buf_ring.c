/* Provided-buffer rings: recv with IOSQE_BUFFER_SELECT takes buffers from
 * the ring in order, reports which one, runs dry, takes recycled buffers
 * again; io_uring_buf_ring_head follows the kernel's head; with
 * IOU_PBUF_RING_INC one buffer serves several receives, and a read of
 * nothing from a pipe leaves it whole, from a file uses it up; a READV
 * selects one capped by its iovec. */
#include <liburing/rs.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

#define NBUF 8
#define BUFSZ 64

static int sv[2];

/* Publishes buffer `bid` at `addr` in the ring's next slot. */
static void add_buf(struct io_uring_buf_ring *br, unsigned entries, void *addr, unsigned len, int bid)
{
	unsigned short tail = br->tail;
	struct io_uring_buf *b = &br->bufs[tail & (entries - 1)];

	b->addr = (__u64) (uintptr_t) addr;
	b->len = len;
	b->bid = bid;
	io_uring_smp_store_release(&br->tail, (unsigned short) (tail + 1));
}

/* Sends `msg`, receives it with a buffer from group `bgid`; returns the
 * CQE. */
static struct io_uring_cqe recv_select(struct io_uring *ring, int bgid, const char *msg)
{
	struct io_uring_sqe *sqe;

	if (msg)
		CHECK_EQ(send(sv[1], msg, strlen(msg), 0), (ssize_t) strlen(msg));
	sqe = sqe_op(ring, IORING_OP_RECV, sv[0], NULL, 0, 0, 0x5e1);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	CHECK_EQ(io_uring_submit(ring), 1);
	return reap(ring);
}

/* Reads `fd`, then closes it, into a buffer of group `bgid` of at most
 * `len` bytes (0: the whole buffer); returns the CQE. */
static struct io_uring_cqe read_select(struct io_uring *ring, int fd, unsigned len, int bgid)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_READ, fd, NULL, len, 0, 0x5e2);
	struct io_uring_cqe cqe;

	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = bgid;
	CHECK_EQ(io_uring_submit(ring), 1);
	cqe = reap(ring);
	close(fd);
	return cqe;
}

static unsigned short head_of(struct io_uring *ring, int bgid)
{
	uint16_t head = 0xffff;

	CHECK_EQ(io_uring_buf_ring_head(ring, bgid, &head), 0);
	return head;
}

static void setup_and_recycle(struct io_uring *ring)
{
	static char mem[NBUF][BUFSZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	char msg[32];
	int err = 1;

	br = io_uring_setup_buf_ring(ring, NBUF, 1, 0, &err);
	CHECK(br != NULL);
	CHECK_EQ(err, 0);
	CHECK_EQ(br->tail, 0);
	CHECK_EQ(head_of(ring, 1), 0);

	for (int i = 0; i < NBUF; i++)
		add_buf(br, NBUF, mem[i], BUFSZ, i);

	/* Buffers are handed out in ring order; the head follows. */
	for (int i = 0; i < NBUF; i++) {
		snprintf(msg, sizeof(msg), "message %d", i);
		cqe = recv_select(ring, 1, msg);
		CHECK_EQ(cqe.res, (int) strlen(msg));
		CHECK(cqe.flags & IORING_CQE_F_BUFFER);
		CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, i);
		CHECK(!memcmp(mem[i], msg, strlen(msg)));
		CHECK_EQ(head_of(ring, 1), i + 1);
	}

	/* Dry: the data stays queued. */
	cqe = recv_select(ring, 1, "late");
	CHECK_EQ(cqe.res, -ENOBUFS);

	/* Recycling buffer 3 lets the pending data in, into buffer 3. */
	add_buf(br, NBUF, mem[3], BUFSZ, 3);
	memset(mem[3], 0, BUFSZ);
	cqe = recv_select(ring, 1, NULL);
	CHECK_EQ(cqe.res, 4);
	CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 3);
	CHECK(!memcmp(mem[3], "late", 4));
	CHECK_EQ(head_of(ring, 1), NBUF + 1);

	/* Same group twice; sizes that are not a power of two. */
	CHECK(io_uring_setup_buf_ring(ring, NBUF, 1, 0, &err) == NULL);
	CHECK_EQ(err, -EEXIST);
	CHECK(io_uring_setup_buf_ring(ring, 6, 2, 0, &err) == NULL);
	CHECK_EQ(err, -EINVAL);
	CHECK(io_uring_setup_buf_ring(ring, 6, 2, 0, NULL) == NULL);
	CHECK(io_uring_setup_buf_ring(NULL, 8, 2, 0, &err) == NULL);
	CHECK_EQ(err, -EFAULT);

	CHECK_EQ(io_uring_free_buf_ring(ring, br, NBUF, 1), 0);
	uint16_t h;
	CHECK_EQ(io_uring_buf_ring_head(ring, 1, &h), -ENOENT);
	CHECK_EQ(io_uring_free_buf_ring(ring, br, NBUF, 1), -ENOENT);
	cqe = recv_select(ring, 1, "x");
	CHECK_EQ(cqe.res, -ENOBUFS);
	char sink[8];
	CHECK_EQ(recv(sv[0], sink, sizeof(sink), 0), 1);
}

/* A ring registered by hand, consumed incrementally: each receive takes
 * only what it needs from the front of the buffer. */
static void incremental(struct io_uring *ring)
{
	static char mem[BUFSZ];
	struct io_uring_buf_reg reg;
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	size_t len = 4 * sizeof(struct io_uring_buf);
	char fill[45];
	int ret, p[2];

	br = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(br != MAP_FAILED);
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (__u64) (uintptr_t) br;
	reg.ring_entries = 4;
	reg.bgid = 2;
	reg.flags = IOU_PBUF_RING_INC;
	need_register(0, IORING_REGISTER_PBUF_RING, &reg, 1, "IOU_PBUF_RING_INC");
	reg.flags = 0;
	ret = io_uring_register_buf_ring(ring, &reg, IOU_PBUF_RING_INC);
	CHECK_EQ(ret, 0);
	/* The flags are OR'd into the caller's struct. */
	CHECK_EQ(reg.flags, IOU_PBUF_RING_INC);
	CHECK_EQ(io_uring_register_buf_ring(ring, &reg, 0), -EEXIST);

	add_buf(br, 4, mem, BUFSZ, 5);
	cqe = recv_select(ring, 2, "0123456789");
	CHECK_EQ(cqe.res, 10);
	CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 5);
	CHECK(cqe.flags & IORING_CQE_F_BUF_MORE);
	CHECK_EQ(head_of(ring, 2), 0);

	cqe = recv_select(ring, 2, "abcdefghij");
	CHECK_EQ(cqe.res, 10);
	CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 5);
	CHECK(cqe.flags & IORING_CQE_F_BUF_MORE);
	CHECK(!memcmp(mem, "0123456789abcdefghij", 20));
	/* The kernel moved the entry past what it used. */
	CHECK_EQ(br->bufs[0].addr, (__u64) (uintptr_t) (mem + 20));
	CHECK_EQ(br->bufs[0].len, BUFSZ - 20);
	CHECK_EQ(head_of(ring, 2), 0);

	/* Filling the rest finishes the buffer: no BUF_MORE, head moves. */
	memset(fill, 'z', sizeof(fill) - 1);
	fill[sizeof(fill) - 1] = 0;
	cqe = recv_select(ring, 2, fill);
	CHECK_EQ(cqe.res, BUFSZ - 20);
	CHECK(!(cqe.flags & IORING_CQE_F_BUF_MORE));
	CHECK_EQ(mem[BUFSZ - 1], 'z');
	CHECK_EQ(head_of(ring, 2), 1);

	/* A read of nothing (a pipe's end) leaves the next buffer whole and
	 * in the ring: the head stays, and 6.18 says so with BUF_MORE. */
	add_buf(br, 4, mem, BUFSZ, 6);
	CHECK_EQ(pipe(p), 0);
	close(p[1]);
	cqe = read_select(ring, p[0], BUFSZ, 2);
	CHECK_EQ(cqe.res, 0);
	CHECK(cqe.flags & IORING_CQE_F_BUFFER);
	CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 6);
	CHECK_EQ(head_of(ring, 2), 1);
	if (!(cqe.flags & IORING_CQE_F_BUF_MORE)) {
		CHECK(!io_uring_rs_is_emulated(ring));
		lacks_case("IORING_CQE_F_BUF_MORE for a read of nothing");
	}

	/* A regular file's read takes the buffer whole as it is selected
	 * (the file cannot be polled), even one that reads nothing. */
	p[0] = memfd_create("empty", 0);
	CHECK(p[0] >= 0);
	cqe = read_select(ring, p[0], 0, 2);
	CHECK_EQ(cqe.res, 0);
	CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 6);
	CHECK(!(cqe.flags & IORING_CQE_F_BUF_MORE));
	CHECK_EQ(head_of(ring, 2), 2);

	CHECK_EQ(io_uring_unregister_buf_ring(ring, 2), 0);
	CHECK_EQ(io_uring_unregister_buf_ring(ring, 2), -ENOENT);
	munmap(br, len);
}

/* READV with IOSQE_BUFFER_SELECT: its one iovec's length caps the
 * provided buffer it reads into; more iovecs than one are refused. */
static void readv_select(struct io_uring *ring)
{
	static char mem[BUFSZ];
	struct iovec iov = { NULL, 5 };
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int p[2], err = 1;

	br = io_uring_setup_buf_ring(ring, 2, 3, 0, &err);
	CHECK(br != NULL);
	io_uring_buf_ring_add(br, mem, BUFSZ, 7, io_uring_buf_ring_mask(2), 0);
	io_uring_buf_ring_advance(br, 1);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "abcdefgh", 8), 8);
	for (unsigned nr = 1; nr <= 2; nr++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_readv(sqe, p[0], &iov, nr, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = 3;
		CHECK_EQ(io_uring_submit(ring), 1);
		cqe = reap(ring);
		if (nr == 2) {
			CHECK_EQ(cqe.res, -EINVAL);
			break;
		}
		CHECK_EQ(cqe.res, 5);
		CHECK_EQ(cqe.flags >> IORING_CQE_BUFFER_SHIFT, 7);
		CHECK(!memcmp(mem, "abcde", 5));
	}
	close(p[0]);
	close(p[1]);
	CHECK_EQ(io_uring_free_buf_ring(ring, br, 2, 3), 0);
}

int main(void)
{
	struct io_uring ring;
	uint16_t h;

	NEED_PBUF_RING();
	NEED_PBUF_STATUS();
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_register_buf_ring(&ring, NULL, 0), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 1, NULL), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_head(NULL, 1, &h), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 77, &h), -ENOENT);

	setup_and_recycle(&ring);
	incremental(&ring);
	readv_select(&ring);

	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
