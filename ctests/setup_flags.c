/* Every setup flag that needs no companion test of its own: init must
 * succeed, the ring must say what was asked, and a NOP (or the flag's own
 * observable effect) must round-trip. SQPOLL, R_DISABLED, the task-run
 * flags, NO_MMAP and the mixed rings have their own files. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"
#include "syscall_spy.h"

/* Sets up a ring with `p`; returns false (a skipped case) when a raw
 * io_uring_setup with the same arguments fails, so one unsupported flag
 * does not hide the others. Where the kernel takes them, so must the
 * library. */
static int init_flags(const char *name, unsigned entries, struct io_uring *ring, struct io_uring_params *p)
{
	const struct spy_call *c, *last = NULL;
	unsigned want = p->flags, mark;
	int ret;

	struct io_uring_sqe nop = { .opcode = IORING_OP_NOP };

	if (!have_setup(entries, p, name))
		return 0;
	/* Every case round-trips NOPs, which old kernels refuse on IOPOLL rings. */
	if ((p->flags & IORING_SETUP_IOPOLL) && kernel_sqe_on(IORING_SETUP_IOPOLL, &nop))
		return lacks_case("IORING_OP_NOP on IORING_SETUP_IOPOLL rings");
	mark = spy_mark();
	ret = io_uring_queue_init_params(entries, ring, p);
	if (ret != 0)
		FAIL("%s: init returned %d (%s)", name, ret, strerror(-ret));
	/* The kernel was asked for the flags. */
	while ((c = spy_next(&mark, __NR_io_uring_setup)))
		last = c;
	CHECK(last != NULL);
	CHECK_EQ(last->setup_flags & want, want);
	CHECK_EQ(ring->flags & p->flags, p->flags);
	CHECK(ring->ring_fd >= 0);
	CHECK_EQ(ring->enter_ring_fd, ring->ring_fd);
	return 1;
}

/* A plain ring gets NO_SQARRAY, since the library asks for it first. */
static void plain(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	bool no_sqarray = !kernel_setup_flags(IORING_SETUP_NO_SQARRAY);

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(!!(ring.flags & IORING_SETUP_NO_SQARRAY), no_sqarray);
	CHECK_EQ(ring.sq.array == NULL, no_sqarray);
	CHECK(ring.features & IORING_FEAT_NODROP);
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_entries, 16);
	CHECK_EQ(ring.sq.ring_mask, 7);
	CHECK_EQ(ring.cq.ring_mask, 15);
	CHECK_EQ(*ring.sq.kring_entries, 8);
	nop_roundtrip(&ring, 1);
	io_uring_queue_exit(&ring);

	/* init_params writes the kernel's answer back. */
	CHECK_EQ(io_uring_queue_init_params(5, &ring, &p), 0);
	CHECK_EQ(p.sq_entries, 8);
	CHECK_EQ(p.cq_entries, 16);
	CHECK_EQ(!!(p.flags & IORING_SETUP_NO_SQARRAY), no_sqarray);
	CHECK_EQ(p.features, ring.features);
	nop_roundtrip(&ring, 2);
	io_uring_queue_exit(&ring);
}

static void no_sqarray(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_NO_SQARRAY };

	if (!init_flags("NO_SQARRAY", 4, &ring, &p))
		return;
	CHECK(ring.sq.array == NULL);
	for (int i = 0; i < 10; i++)	/* wraps the 4-entry SQ */
		nop_roundtrip(&ring, 100 + i);
	io_uring_queue_exit(&ring);
}

/* IOPOLL completes only when polled; the library must enter to reap. */
static void iopoll(unsigned extra, const char *name)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_IOPOLL | extra };
	struct io_uring_cqe *cqe;

	if (!init_flags(name, 8, &ring, &p))
		return;
	nop_roundtrip(&ring, 3);
	/* peek_cqe must enter on an IOPOLL ring to find the completion. */
	queue_nops(&ring, 1, 4);
	CHECK_EQ(io_uring_submit(&ring), 1);
	for (int i = 0; i < 1000; i++) {
		int ret = io_uring_peek_cqe(&ring, &cqe);

		if (ret == 0)
			break;
		CHECK_EQ(ret, -EAGAIN);
	}
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 4);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/* HYBRID_IOPOLL only makes sense with IOPOLL. */
static void hybrid_without_iopoll(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, IORING_SETUP_HYBRID_IOPOLL), -EINVAL);
}

/* SQE128: SQEs are 128 bytes apart and get_sqe128 hands them out. */
static void sqe128(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQE128 };
	struct io_uring_sqe *a, *b;

	if (!init_flags("SQE128", 8, &ring, &p))
		return;
	a = io_uring_get_sqe(&ring);
	b = io_uring_get_sqe128(&ring);
	CHECK(a && b);
	CHECK_EQ((char *) b - (char *) a, 128);
	io_uring_prep_nop(a);
	io_uring_sqe_set_data64(a, 10);
	io_uring_prep_nop(b);
	io_uring_sqe_set_data64(b, 11);
	/* The second half of a 128-byte SQE belongs to the command. */
	memset(b + 1, 0xff, 64);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
	CHECK_EQ(io_uring_cq_ready(&ring), 2);
	io_uring_cq_advance(&ring, 2);
	nop_roundtrip(&ring, 12);
	io_uring_queue_exit(&ring);
}

/* CQE32: CQEs are 32 bytes and NOP can fill the extra 16. */
static void cqe32(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_CQE32 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;

	struct io_uring_sqe raw = { .opcode = IORING_OP_NOP, .nop_flags = IORING_NOP_CQE32 };

	if (!init_flags("CQE32", 8, &ring, &p))
		return;
	if (kernel_sqe_on(IORING_SETUP_CQE32, &raw)) {
		io_uring_queue_exit(&ring);
		lacks_case("IORING_NOP_CQE32");
		return;
	}
	for (int i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 20 + i);
		sqe->nop_flags = IORING_NOP_CQE32;
		sqe->off = 1000 + i;
		sqe->addr = 2000 + i;
	}
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
		CHECK_EQ((char *) cqe - (char *) ring.cq.cqes, 32 * i);
		CHECK_EQ(cqe->user_data, 20 + i);
		CHECK_EQ(cqe->res, 0);
		CHECK_EQ(cqe->big_cqe[0], 1000 + i);
		CHECK_EQ(cqe->big_cqe[1], 2000 + i);
		io_uring_cqe_seen(&ring, cqe);
	}
	nop_roundtrip(&ring, 22);
	io_uring_queue_exit(&ring);
}

static void cqsize(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE, .cq_entries = 100 };

	if (!init_flags("CQSIZE", 8, &ring, &p))
		return;
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_entries, 128);
	CHECK_EQ(p.cq_entries, 128);
	nop_roundtrip(&ring, 30);
	io_uring_queue_exit(&ring);

	/* A CQ smaller than the SQ is refused. */
	p = (struct io_uring_params) { .flags = IORING_SETUP_CQSIZE, .cq_entries = 4 };
	CHECK_EQ(io_uring_queue_init_params(8, &ring, &p), -EINVAL);
	p = (struct io_uring_params) { .flags = IORING_SETUP_CQSIZE, .cq_entries = 0 };
	CHECK_EQ(io_uring_queue_init_params(8, &ring, &p), -EINVAL);
}

static void clamp(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_CLAMP };

	if (!init_flags("CLAMP", 1u << 20, &ring, &p))
		return;
	CHECK_EQ(ring.sq.ring_entries, 32768);
	CHECK_EQ(ring.cq.ring_entries, 65536);
	nop_roundtrip(&ring, 40);
	io_uring_queue_exit(&ring);

	p = (struct io_uring_params) { .flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE, .cq_entries = 1u << 20 };
	if (!init_flags("CLAMP|CQSIZE", 8, &ring, &p))
		return;
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_entries, 65536);
	nop_roundtrip(&ring, 41);
	io_uring_queue_exit(&ring);
}

/* ATTACH_WQ shares the first ring's async backend; wq_fd must be a ring. */
static void attach_wq(void)
{
	struct io_uring first, second;
	struct io_uring_params p = { 0 };
	int pipefd[2];

	CHECK_EQ(io_uring_queue_init(8, &first, 0), 0);
	p.flags = IORING_SETUP_ATTACH_WQ;
	p.wq_fd = first.ring_fd;
	if (init_flags("ATTACH_WQ", 8, &second, &p)) {
		nop_roundtrip(&second, 50);
		nop_roundtrip(&first, 51);
		io_uring_queue_exit(&second);
	}
	CHECK_EQ(pipe(pipefd), 0);
	p = (struct io_uring_params) { .flags = IORING_SETUP_ATTACH_WQ, .wq_fd = pipefd[0] };
	CHECK_EQ(io_uring_queue_init_params(8, &second, &p), -EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	io_uring_queue_exit(&first);
}

/* SUBMIT_ALL: a failing SQE no longer stops the rest of the batch. */
static void submit_all(void)
{
	for (int all = 0; all < 2; all++) {
		struct io_uring ring;
		struct io_uring_params p = { .flags = all ? IORING_SETUP_SUBMIT_ALL : 0 };
		struct io_uring_cqe *cqe;
		unsigned head, n = 0;

		if (!init_flags(all ? "SUBMIT_ALL" : "plain", 8, &ring, &p))
			return;
		queue_nops(&ring, 3, 60);
		ring.sq.sqes[1].opcode = 250;	/* no such opcode: fails at submit */
		CHECK_EQ(io_uring_submit(&ring), all ? 3 : 2);
		CHECK_EQ(io_uring_sq_ready(&ring), all ? 0 : 1);
		/* In any order: kernels differ in when the failed SQE's CQE posts. */
		unsigned seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			CHECK(cqe->user_data >= 60 && cqe->user_data <= 62);
			CHECK_EQ(cqe->res, cqe->user_data == 61 ? -EINVAL : 0);
			seen |= 1u << (cqe->user_data - 60);
			n++;
		}
		CHECK_EQ(n, all ? 3 : 2);
		CHECK_EQ(seen, all ? 7u : 3u);
		io_uring_cq_advance(&ring, n);
		if (!all) {
			/* The SQE left behind goes in on the next submit. */
			CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
			CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
			CHECK_EQ(cqe->user_data, 62);
			io_uring_cqe_seen(&ring, cqe);
		}
		io_uring_queue_exit(&ring);
	}
}

static void simple(unsigned flags, const char *name)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = flags };

	if (!init_flags(name, 8, &ring, &p))
		return;
	for (int i = 0; i < 20; i++)
		nop_roundtrip(&ring, 70 + i);
	io_uring_queue_exit(&ring);
}

/* Unknown bits are refused by the kernel, not silently dropped. */
static void unknown_flags(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, 1u << 31), -EINVAL);
	CHECK_EQ(io_uring_queue_init(8, &ring, 1u << 30), -EINVAL);
}

int main(void)
{
	spy_start();
	plain();
	no_sqarray();
	iopoll(0, "IOPOLL");
	iopoll(IORING_SETUP_HYBRID_IOPOLL, "IOPOLL|HYBRID_IOPOLL");
	hybrid_without_iopoll();
	sqe128();
	cqe32();
	cqsize();
	clamp();
	attach_wq();
	submit_all();
	simple(IORING_SETUP_SQE128 | IORING_SETUP_CQE32, "SQE128|CQE32");
	simple(IORING_SETUP_SQPOLL | IORING_SETUP_IOPOLL, "SQPOLL|IOPOLL");
	simple(IORING_SETUP_SQPOLL | IORING_SETUP_SQE128 | IORING_SETUP_CQE32, "SQPOLL|SQE128|CQE32");
	simple(IORING_SETUP_SQPOLL | IORING_SETUP_NO_SQARRAY, "SQPOLL|NO_SQARRAY");
	simple(IORING_SETUP_IOPOLL | IORING_SETUP_NO_SQARRAY | IORING_SETUP_CQE32, "IOPOLL|NO_SQARRAY|CQE32");
	simple(IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN");
	simple(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, "COOP_TASKRUN|TASKRUN_FLAG");
	simple(IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER");
	simple(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN");
	unknown_flags();
	return 0;
}
