/* The raw system call wrappers: io_uring_setup + io_uring_queue_mmap, then
 * SQEs and CQEs driven by hand through io_uring_enter / io_uring_enter2,
 * and io_uring_register(IORING_REGISTER_PROBE). They return -errno and
 * leave errno alone. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* Publishes one NOP tagged `data` by hand. */
static void push_nop(struct io_uring *ring, __u64 data)
{
	unsigned tail = *ring->sq.ktail;
	unsigned idx = tail & ring->sq.ring_mask;
	struct io_uring_sqe *sqe = &ring->sq.sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->fd = -1;
	sqe->user_data = data;
	io_uring_smp_store_release(ring->sq.ktail, tail + 1);
	/* Keep the library's view in step, so mixing both stays sane. */
	ring->sq.sqe_tail = ring->sq.sqe_head = tail + 1;
}

/* Takes one CQE by hand and checks its tag. */
static void pop_cqe(struct io_uring *ring, __u64 data)
{
	unsigned head = *ring->cq.khead;
	struct io_uring_cqe *cqe;

	CHECK(io_uring_smp_load_acquire(ring->cq.ktail) != head);
	cqe = &ring->cq.cqes[head & ring->cq.ring_mask];
	CHECK_EQ(cqe->user_data, data);
	CHECK_EQ(cqe->res, 0);
	io_uring_smp_store_release(ring->cq.khead, head + 1);
}

static void setup_and_mmap(unsigned flags)
{
	struct io_uring_params p = { .flags = flags };
	struct io_uring ring;
	sigset_t none;
	int fd;

	fd = io_uring_setup(8, &p);
	CHECK(fd >= 0);
	CHECK_EQ(p.sq_entries, 8);
	CHECK_EQ(p.cq_entries, 16);
	memset(&ring, 0xaa, sizeof(ring));
	CHECK_EQ(io_uring_queue_mmap(fd, &p, &ring), 0);
	CHECK_EQ(ring.ring_fd, fd);
	CHECK_EQ(ring.enter_ring_fd, fd);
	CHECK_EQ(ring.flags, flags);
	CHECK_EQ(ring.features, p.features);
	CHECK_EQ(ring.int_flags, 0);
	CHECK_EQ(ring.sq.ring_entries, 8);
	CHECK_EQ(ring.cq.ring_mask, 15);
	CHECK_EQ(ring.sq.array == NULL, !!(flags & IORING_SETUP_NO_SQARRAY));
	/* Like liburing, queue_mmap leaves the SQ index array to the caller. */
	for (unsigned i = 0; ring.sq.array && i < ring.sq.ring_entries; i++)
		ring.sq.array[i] = i;

	/* By hand: io_uring_enter submits and waits. */
	push_nop(&ring, 1);
	CHECK_EQ(io_uring_enter(fd, 1, 1, IORING_ENTER_GETEVENTS, NULL), 1);
	pop_cqe(&ring, 1);
	sigemptyset(&none);
	push_nop(&ring, 2);
	push_nop(&ring, 3);
	CHECK_EQ(io_uring_enter(fd, 2, 2, IORING_ENTER_GETEVENTS, &none), 2);
	pop_cqe(&ring, 2);
	pop_cqe(&ring, 3);

	/* io_uring_enter2 with an extended argument carrying a timeout. */
	{
		struct __kernel_timespec ts = { .tv_nsec = 10000000 };
		struct io_uring_getevents_arg arg = { .ts = (__u64) (uintptr_t) &ts };
		long long start = now_ns();

		CHECK_EQ(io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof(arg)), -ETIME);
		CHECK(now_ns() - start >= 5000000);
		CHECK_EQ(io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof(arg) - 1), -EINVAL);
		push_nop(&ring, 4);
		CHECK_EQ(io_uring_enter2(fd, 1, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &arg, sizeof(arg)), 1);
		pop_cqe(&ring, 4);
	}

	/* The library's own calls work on the hand-mapped ring. */
	for (int i = 0; i < 10; i++)
		nop_roundtrip(&ring, 10 + i);
	io_uring_queue_exit(&ring);
	CHECK(fcntl(fd, F_GETFD) == -1);
}

static void register_probe(void)
{
	struct io_uring_params p = { 0 };
	size_t len = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *probe = calloc(1, len);
	int fd = io_uring_setup(4, &p);

	CHECK(fd >= 0 && probe);
	CHECK_EQ(io_uring_register(fd, IORING_REGISTER_PROBE, probe, 256), 0);
	CHECK(probe->last_op >= IORING_OP_TIMEOUT);
	CHECK(probe->ops_len > IORING_OP_TIMEOUT);
	CHECK(probe->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	CHECK_EQ(probe->ops[IORING_OP_NOP].op, IORING_OP_NOP);
	CHECK(io_uring_opcode_supported(probe, IORING_OP_TIMEOUT));
	/* Too many ops for the kernel's limit. */
	CHECK_EQ(io_uring_register(fd, IORING_REGISTER_PROBE, probe, 257), -EINVAL);
	close(fd);
	free(probe);
}

/* Errors come back as -errno; errno is never touched. */
static void errors(void)
{
	struct io_uring_params p = { 0 };
	struct io_uring_params bad_resv = { .resv = { 1 } };
	int pipefd[2];

	errno = 12345;
	CHECK_EQ(io_uring_setup(0, &p), -EINVAL);
	CHECK_EQ(io_uring_setup(8, NULL), -EFAULT);
	CHECK_EQ(io_uring_setup(8, &bad_resv), -EINVAL);
	CHECK_EQ(io_uring_enter(-1, 0, 0, 0, NULL), -EBADF);
	CHECK_EQ(io_uring_enter2(-1, 0, 0, 0, NULL, 0), -EBADF);
	/* fd -1 means "no ring" to io_uring_register on newer kernels, for a few
	 * ops: whatever the kernel answers, the wrapper passes on. */
	CHECK_EQ(io_uring_register(-1, IORING_REGISTER_PROBE, NULL, 0),
		 raw_register(-1, IORING_REGISTER_PROBE, NULL, 0));
	CHECK_EQ(io_uring_register(-2, IORING_REGISTER_PROBE, NULL, 0), -EBADF);
	CHECK_EQ(pipe(pipefd), 0);
	errno = 12345;
	CHECK_EQ(io_uring_enter(pipefd[0], 0, 0, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(io_uring_register(pipefd[0], IORING_REGISTER_PROBE, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(errno, 12345);
	close(pipefd[0]);
	close(pipefd[1]);
	CHECK_EQ(io_uring_queue_mmap(-1, &p, NULL), -EFAULT);
}

int main(void)
{
	setup_and_mmap(0);
	if (HAVE_SETUP_FLAGS(IORING_SETUP_NO_SQARRAY))
		setup_and_mmap(IORING_SETUP_NO_SQARRAY);
	register_probe();
	errors();
	return 0;
}
