/* io_uring_resize_rings: completions posted before the resize and requests
 * in flight across it all arrive; the new sizes are in use (more CQEs than
 * the old CQ could hold); sqe_head/sqe_tail carry over; the SQ index array
 * of rings that have one is rebuilt; refusals leave the ring usable. */
#include <fcntl.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

#define DEFER (IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER)

/* Queues and submits `n` NOPs tagged base, base + 1, ... */
static void post_nops(struct io_uring *ring, int n, __u64 base)
{
	for (int i = 0; i < n; i++) {
		if (!io_uring_sq_space_left(ring))
			CHECK(io_uring_submit(ring) > 0);
		sqe_nop(ring, base + i);
	}
	CHECK(io_uring_submit(ring) > 0);
}

/* Reaps `n` CQEs, expecting tags base, base + 1, ... in order. */
static void reap_nops(struct io_uring *ring, int n, __u64 base)
{
	for (int i = 0; i < n; i++) {
		struct io_uring_cqe cqe = reap(ring);
		CHECK_EQ(cqe.user_data, base + i);
		CHECK_EQ(cqe.res, 0);
	}
}

static int resize(struct io_uring *ring, unsigned sq, unsigned cq)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.sq_entries = sq;
	p.cq_entries = cq;
	p.flags = IORING_SETUP_CQSIZE;
	int ret = io_uring_resize_rings(ring, &p);
	CHECK_EQ(p.flags, 0);	/* cleared on the way out, whatever happened */
	return ret;
}

static void grow_and_shrink(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = DEFER };
	int pfd[2], ret;
	char c = 0;
	unsigned tail;

	ring_init_params(&ring, 8, &p, "IORING_SETUP_DEFER_TASKRUN");
	CHECK_EQ(pipe(pfd), 0);
	CHECK_EQ(ring.cq.ring_entries, 16);

	/* In flight across the resize: a read waiting for data ... */
	sqe_op(&ring, IORING_OP_READ, pfd[0], &c, 1, 0, 1000);
	/* ... and ten completions not yet reaped. */
	post_nops(&ring, 10, 0);
	tail = ring.sq.sqe_tail;

	struct io_uring_params rp = { .sq_entries = 32, .cq_entries = 64, .flags = IORING_SETUP_CQSIZE };
	need_register(DEFER, IORING_REGISTER_RESIZE_RINGS, &rp, 1, "IORING_REGISTER_RESIZE_RINGS");
	ret = resize(&ring, 32, 64);
	CHECK_EQ(ret, 0);
	CHECK_EQ(ring.sq.ring_entries, 32);
	CHECK_EQ(ring.cq.ring_entries, 64);
	CHECK_EQ(*ring.cq.kring_entries, 64);
	CHECK_EQ(ring.sq.sqe_tail, tail);
	CHECK_EQ(ring.sq.sqe_head, tail);
	CHECK_EQ(io_uring_sq_space_left(&ring), 32);
	CHECK_EQ(io_uring_cq_ready(&ring), 10);
	reap_nops(&ring, 10, 0);

	/* 40 completions at once: more than the old CQ had room for. */
	post_nops(&ring, 40, 100);
	CHECK_EQ(io_uring_cq_ready(&ring), 40);
	CHECK(!io_uring_cq_has_overflow(&ring));
	reap_nops(&ring, 40, 100);

	/* The read submitted before the resize completes after it. */
	CHECK_EQ(write(pfd[1], "r", 1), 1);
	struct io_uring_cqe cqe = reap(&ring);
	CHECK_EQ(cqe.user_data, 1000);
	CHECK_EQ(cqe.res, 1);
	CHECK_EQ(c, 'r');

	/* Shrinking below what is pending fails, and changes nothing. */
	post_nops(&ring, 20, 200);
	CHECK_EQ(resize(&ring, 8, 16), -EOVERFLOW);
	CHECK_EQ(ring.cq.ring_entries, 64);
	reap_nops(&ring, 20, 200);

	/* Shrinking an idle ring works. */
	CHECK_EQ(resize(&ring, 4, 8), 0);
	CHECK_EQ(ring.sq.ring_entries, 4);
	CHECK_EQ(ring.cq.ring_entries, 8);
	post_nops(&ring, 8, 300);
	reap_nops(&ring, 8, 300);

	/* With the plain fd closed the new rings could not be mapped. */
	if (io_uring_register_ring_fd(&ring) == 1 && io_uring_close_ring_fd(&ring) == 1) {
		CHECK_EQ(resize(&ring, 8, 16), -EBADF);
		CHECK_EQ(ring.sq.ring_entries, 4);
		post_nops(&ring, 3, 400);
		reap_nops(&ring, 3, 400);
	}
	io_uring_queue_exit(&ring);
	close(pfd[0]);
	close(pfd[1]);
}

static void refusals(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };

	/* Not DEFER_TASKRUN: the kernel says no. */
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(resize(&ring, 16, 32), -EINVAL);
	post_nops(&ring, 2, 0);
	reap_nops(&ring, 2, 0);
	io_uring_queue_exit(&ring);

	/* Rings in application memory: refused before asking the kernel, and
	 * p->flags is left alone. */
	p.flags = DEFER | IORING_SETUP_NO_MMAP;
	if (io_uring_queue_init_params(8, &ring, &p) == 0) {
		memset(&p, 0, sizeof(p));
		p.sq_entries = 16;
		p.flags = IORING_SETUP_CLAMP;
		CHECK_EQ(io_uring_resize_rings(&ring, &p), -EINVAL);
		CHECK_EQ(p.flags, IORING_SETUP_CLAMP);
		io_uring_queue_exit(&ring);
	}
	CHECK_EQ(io_uring_resize_rings(NULL, &p), -EFAULT);
}

/* A ring with an SQ index array (set up by hand without NO_SQARRAY): after
 * resizing, slot i maps to SQE i again, so distinct SQEs stay distinct. */
static void sq_array(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = DEFER };
	int fd = io_uring_setup(4, &p);

	CHECK(fd >= 0);
	CHECK(!(p.flags & IORING_SETUP_NO_SQARRAY));
	CHECK_EQ(io_uring_queue_mmap(fd, &p, &ring), 0);
	CHECK(ring.sq.array != NULL);
	for (unsigned i = 0; i < ring.sq.ring_entries; i++)
		ring.sq.array[i] = i;
	post_nops(&ring, 4, 10);
	reap_nops(&ring, 4, 10);

	CHECK_EQ(resize(&ring, 16, 32), 0);
	CHECK(ring.sq.array != NULL);
	for (unsigned i = 0; i < 16; i++)
		CHECK_EQ(ring.sq.array[i], i);
	post_nops(&ring, 16, 20);
	reap_nops(&ring, 16, 20);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	grow_and_shrink();
	refusals();
	sq_array();
	return 0;
}
