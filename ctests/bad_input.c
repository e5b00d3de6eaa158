/* Bad input gives a clean error or a no-op, never a crash. Every ring
 * function gets a NULL ring, a zeroed ring and a ring after
 * io_uring_queue_exit; then bad sizes, flags, fds, pointers and states.
 * Each case runs in its own child, so a crash fails just that case.
 * docs/bad-input.md tabulates the results next to upstream liburing's. */
#include "bad_input.h"
#include "kernel.h"

static struct __kernel_timespec ts1ms = { .tv_nsec = 1000000 };

/* ---- every ring function on a ring that is not set up ---- */

/* Calls that hand back a CQE must also clear it. */
#define CALL_CQE(name, expr) \
	static long call_##name(struct io_uring *ring) { \
		struct io_uring_cqe *cqe = (void *) 1; \
		long r = (expr); \
		if (cqe != NULL) \
			FAIL(#name " left *cqe_ptr set"); \
		return r; \
	}

static struct io_uring_cqe fake_cqe;

CALL_VOID(queue_exit, io_uring_queue_exit(ring))
CALL(ring_dontfork, io_uring_ring_dontfork(ring))
CALL(register_ring_fd, io_uring_register_ring_fd(ring))
CALL(unregister_ring_fd, io_uring_unregister_ring_fd(ring))
CALL(close_ring_fd, io_uring_close_ring_fd(ring))
CALL(get_sqe, io_uring_get_sqe(ring) != NULL)
CALL(get_sqe128, io_uring_get_sqe128(ring) != NULL)
CALL(sq_ready, io_uring_sq_ready(ring))
CALL(sq_space_left, io_uring_sq_space_left(ring))
CALL(sqring_wait, io_uring_sqring_wait(ring))
CALL(__sqring_wait, __io_uring_sqring_wait(ring))
CALL(submit, io_uring_submit(ring))
CALL(submit_and_wait, io_uring_submit_and_wait(ring, 1))
CALL_CQE(submit_and_wait_timeout, io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts1ms, NULL))
CALL_CQE(submit_and_wait_min_timeout, io_uring_submit_and_wait_min_timeout(ring, &cqe, 1, &ts1ms, 100, NULL))
CALL_CQE(submit_and_wait_reg, io_uring_submit_and_wait_reg(ring, &cqe, 1, 0))
CALL(submit_and_get_events, io_uring_submit_and_get_events(ring))
CALL(get_events, io_uring_get_events(ring))
CALL_CQE(wait_cqe, io_uring_wait_cqe(ring, &cqe))
CALL_CQE(wait_cqe_nr, io_uring_wait_cqe_nr(ring, &cqe, 1))
CALL_CQE(wait_cqe_timeout, io_uring_wait_cqe_timeout(ring, &cqe, &ts1ms))
CALL_CQE(wait_cqes, io_uring_wait_cqes(ring, &cqe, 1, &ts1ms, NULL))
CALL_CQE(wait_cqes_min_timeout, io_uring_wait_cqes_min_timeout(ring, &cqe, 1, &ts1ms, 100, NULL))
CALL_CQE(peek_cqe, io_uring_peek_cqe(ring, &cqe))
CALL_CQE(__get_cqe, __io_uring_get_cqe(ring, &cqe, 0, 1, NULL))
static long call___peek_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = (void *) 1;
	unsigned avail = 99;
	long r = __io_uring_peek_cqe(ring, &cqe, &avail);

	if (cqe != NULL || avail != 0)
		FAIL("__io_uring_peek_cqe left *cqe_ptr or *nr_available set");
	return r;
}
static long call_peek_batch_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqes[4] = { 0 };

	return io_uring_peek_batch_cqe(ring, cqes, 4) + (cqes[0] != NULL);
}
CALL_VOID(cqe_seen, io_uring_cqe_seen(ring, &fake_cqe))
CALL_VOID(cq_advance, io_uring_cq_advance(ring, 1))
CALL(cq_ready, io_uring_cq_ready(ring))
CALL(cq_has_overflow, io_uring_cq_has_overflow(ring))
CALL(set_iowait, io_uring_set_iowait(ring, false))
CALL(cq_eventfd_enabled, io_uring_cq_eventfd_enabled(ring))
CALL(cq_eventfd_toggle, io_uring_cq_eventfd_toggle(ring, false))
static long call_cqe_iter(struct io_uring *ring)
{
	struct io_uring_cqe_iter it = io_uring_cqe_iter_init(ring);
	struct io_uring_cqe *cqe;

	return io_uring_cqe_iter_next(&it, &cqe);
}
CALL(get_probe_ring, io_uring_get_probe_ring(ring) != NULL)
static long call_register_probe(struct io_uring *ring)
{
	struct io_uring_probe *p = calloc(1, sizeof(*p) + 256 * sizeof(struct io_uring_probe_op));
	long r = io_uring_register_probe(ring, p, 256);

	free(p);
	return r;
}

static const struct ring_case ring_cases[] = {
	ENTRY(queue_exit, VOID), ENTRY(ring_dontfork, INT), ENTRY(register_ring_fd, INT),
	ENTRY(unregister_ring_fd, INT), ENTRY(close_ring_fd, INT), ENTRY(get_sqe, PTR),
	ENTRY(get_sqe128, PTR), ENTRY(sq_ready, UINT), ENTRY(sq_space_left, UINT),
	ENTRY(sqring_wait, INT), ENTRY(__sqring_wait, INT), ENTRY(submit, INT),
	ENTRY(submit_and_wait, INT), ENTRY(submit_and_wait_timeout, INT),
	ENTRY(submit_and_wait_min_timeout, INT), ENTRY(submit_and_wait_reg, INT),
	ENTRY(submit_and_get_events, INT), ENTRY(get_events, INT), ENTRY(wait_cqe, INT),
	ENTRY(wait_cqe_nr, INT), ENTRY(wait_cqe_timeout, INT), ENTRY(wait_cqes, INT),
	ENTRY(wait_cqes_min_timeout, INT), ENTRY(peek_cqe, INT), ENTRY(__get_cqe, INT),
	ENTRY(__peek_cqe, INT), ENTRY(peek_batch_cqe, UINT), ENTRY(cqe_seen, VOID),
	ENTRY(cq_advance, VOID), ENTRY(cq_ready, UINT), ENTRY(cq_has_overflow, BOOL),
	ENTRY(set_iowait, INT), ENTRY(cq_eventfd_enabled, BOOL), ENTRY(cq_eventfd_toggle, INT),
	ENTRY(cqe_iter, BOOL), ENTRY(get_probe_ring, PTR), ENTRY(register_probe, INT),
};

/* ---- specific bad inputs ---- */

static void entries_zero(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };

	CHECK_EQ(io_uring_queue_init(0, &ring, 0), -EINVAL);
	CHECK_EQ(io_uring_queue_init_params(0, &ring, &p), -EINVAL);
	p = (struct io_uring_params) { 0 };
	CHECK_EQ(io_uring_queue_init_mem(0, &ring, &p, NULL, 0), -EINVAL);
	CHECK_EQ(io_uring_memory_size(0, 0), -EINVAL);
	CHECK(io_uring_get_sqe(&ring) == NULL);
}

static void entries_huge(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(1u << 20, &ring, 0), -EINVAL);
	CHECK_EQ(io_uring_queue_init(1u << 20, &ring, IORING_SETUP_CLAMP), 0);
	CHECK_EQ(ring.sq.ring_entries, 32768);
	CHECK_EQ(ring.cq.ring_entries, 65536);
	nop_roundtrip(&ring, 1);
	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_queue_init(UINT32_MAX, &ring, 0), -EINVAL);
}

static void unknown_flags(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, 1u << 31), -EINVAL);
	CHECK_EQ(io_uring_queue_init(8, &ring, 1u << 28), -EINVAL);
	CHECK_EQ(io_uring_queue_init(8, &ring, ~0u), -EINVAL);
	CHECK(io_uring_get_sqe(&ring) == NULL);
}

/* The struct is output only: garbage in it does not matter. */
static void garbage_struct(void)
{
	struct io_uring ring;

	memset(&ring, 0xa5, sizeof(ring));
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	nop_roundtrip(&ring, 1);
	io_uring_queue_exit(&ring);
}

/* The application closed the ring's fd behind the library's back. */
static void closed_ring_fd(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(close(ring.ring_fd), 0);
	queue_nops(&ring, 1, 1);
	CHECK_EQ(io_uring_submit(&ring), -EBADF);
	CHECK_EQ(io_uring_get_events(&ring), -EBADF);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts1ms), -EBADF);
	if (have_ring_fds())
		CHECK_EQ(io_uring_register_ring_fd(&ring), -EBADF);
	CHECK(io_uring_get_probe_ring(&ring) == NULL);
	io_uring_queue_exit(&ring);
}

/* The second exit must not close the fd number the first one freed, which
 * by then belongs to someone else. */
static void exit_twice(void)
{
	struct io_uring ring;
	int fd, reused;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	fd = ring.ring_fd;
	io_uring_queue_exit(&ring);
	reused = open("/dev/null", O_RDONLY);
	CHECK_EQ(reused, fd);
	io_uring_queue_exit(&ring);
	CHECK(fcntl(reused, F_GETFD) != -1);
	close(reused);
}

/* A zeroed struct has ring_fd 0: exiting it must not close stdin. */
static void exit_zeroed_keeps_fd0(void)
{
	struct io_uring ring;

	if (fcntl(0, F_GETFD) == -1)
		CHECK_EQ(open("/dev/null", O_RDONLY), 0);
	memset(&ring, 0, sizeof(ring));
	io_uring_queue_exit(&ring);
	CHECK(fcntl(0, F_GETFD) != -1);
}

static void full_sq(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	queue_nops(&ring, 4, 1);
	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK_EQ(io_uring_sq_space_left(&ring), 0);
	CHECK_EQ(io_uring_sq_ready(&ring), 4);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 4), 4);
	CHECK(io_uring_get_sqe(&ring) != NULL);
	io_uring_queue_exit(&ring);
}

static void empty_cq_wait(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts1ms), -ETIME);
	CHECK_EQ(io_uring_wait_cqes(&ring, &cqe, 4, &ts1ms, NULL), -ETIME);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	io_uring_queue_exit(&ring);
}

static void null_out_pointers(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	queue_nops(&ring, 1, 1);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, NULL), -EFAULT);
	CHECK_EQ(io_uring_peek_cqe(&ring, NULL), -EFAULT);
	CHECK_EQ(io_uring_wait_cqe_nr(&ring, NULL, 1), -EFAULT);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, NULL, &ts1ms), -EFAULT);
	CHECK_EQ(io_uring_wait_cqes(&ring, NULL, 1, &ts1ms, NULL), -EFAULT);
	CHECK_EQ(io_uring_wait_cqes_min_timeout(&ring, NULL, 1, &ts1ms, 10, NULL), -EFAULT);
	CHECK_EQ(io_uring_submit_and_wait_timeout(&ring, NULL, 1, &ts1ms, NULL), -EFAULT);
	CHECK_EQ(io_uring_submit_and_wait_min_timeout(&ring, NULL, 1, &ts1ms, 10, NULL), -EFAULT);
	CHECK_EQ(__io_uring_get_cqe(&ring, NULL, 0, 1, NULL), -EFAULT);
	CHECK_EQ(__io_uring_peek_cqe(&ring, NULL, NULL), -EFAULT);
	CHECK_EQ(io_uring_peek_batch_cqe(&ring, NULL, 4), 0);
	CHECK(!io_uring_cqe_iter_next(NULL, NULL));
	io_uring_cqe_seen(&ring, NULL);
	/* None of that consumed the CQE. */
	CHECK_EQ(io_uring_cq_ready(&ring), 1);
	CHECK(io_uring_register_probe(&ring, NULL, 4) < 0);
	io_uring_queue_exit(&ring);
}

static void null_params_and_rings(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	int fd;

	CHECK_EQ(io_uring_queue_init(8, NULL, 0), -EFAULT);
	CHECK_EQ(io_uring_queue_init_params(8, NULL, &p), -EFAULT);
	CHECK_EQ(io_uring_queue_init_params(8, &ring, NULL), -EFAULT);
	CHECK_EQ(io_uring_queue_init_mem(8, NULL, &p, NULL, 0), -EFAULT);
	CHECK_EQ(io_uring_queue_init_mem(8, &ring, NULL, NULL, 0), -EFAULT);
	CHECK_EQ(io_uring_mlock_size_params(8, NULL), -EFAULT);
	CHECK_EQ(io_uring_memory_size_params(8, NULL), -EFAULT);
	fd = io_uring_setup(8, &p);
	CHECK(fd >= 0);
	CHECK_EQ(io_uring_queue_mmap(fd, NULL, &ring), -EFAULT);
	CHECK_EQ(io_uring_queue_mmap(fd, &p, NULL), -EFAULT);
	close(fd);
}

/* queue_mmap on an fd that is not a ring fails and leaves no ring. */
static void mmap_not_a_ring(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	int fd = io_uring_setup(8, &p), pipefd[2];

	CHECK(fd >= 0);
	close(fd);
	CHECK_EQ(pipe(pipefd), 0);
	CHECK_EQ(io_uring_queue_mmap(pipefd[0], &p, &ring), -EACCES);	/* mmap of a pipe */
	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK_EQ(io_uring_submit(&ring), -EBADF);
	io_uring_queue_exit(&ring);
	CHECK(fcntl(pipefd[0], F_GETFD) != -1);	/* not ours to close */
}

static void null_sqe_cqe_probe(void)
{
	struct io_uring ring;

	io_uring_prep_nop(NULL);
	io_uring_prep_timeout(NULL, &ts1ms, 0, 0);
	io_uring_sqe_set_data(NULL, &ring);
	io_uring_sqe_set_data64(NULL, 1);
	io_uring_sqe_set_flags(NULL, IOSQE_ASYNC);
	CHECK(io_uring_cqe_get_data(NULL) == NULL);
	CHECK_EQ(io_uring_cqe_get_data64(NULL), 0);
	CHECK_EQ(io_uring_opcode_supported(NULL, IORING_OP_NOP), 0);
	io_uring_free_probe(NULL);
}

/* A probe filled for fewer ops than an opcode's number says "unsupported"
 * for it rather than reading past what the kernel filled in. */
static void short_probe(void)
{
	struct io_uring ring;
	size_t len = sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *p = calloc(1, len);

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	memset(p, 0, len);
	CHECK_EQ(io_uring_register_probe(&ring, p, 2), 0);
	/* What the kernel did not fill in is garbage to the reader. */
	memset(&p->ops[2], 0xff, 254 * sizeof(struct io_uring_probe_op));
	CHECK_EQ(io_uring_opcode_supported(p, IORING_OP_NOP), 1);
	CHECK_EQ(io_uring_opcode_supported(p, IORING_OP_TIMEOUT), 0);
	io_uring_queue_exit(&ring);
	free(p);
}

static void sqe128_on_plain_ring(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK(io_uring_get_sqe128(&ring) == NULL);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	io_uring_queue_exit(&ring);
}

static const struct bi_case cases[] = {
	{ "entries 0", entries_zero },
	{ "entries 1<<20, with and without CLAMP", entries_huge },
	{ "unknown setup flags", unknown_flags },
	{ "garbage in the struct before init", garbage_struct },
	{ "ring fd closed by the application", closed_ring_fd },
	{ "queue_exit twice", exit_twice },
	{ "queue_exit on a zeroed ring keeps fd 0", exit_zeroed_keeps_fd0 },
	{ "get_sqe on a full SQ", full_sq },
	{ "wait on an empty CQ", empty_cq_wait },
	{ "NULL output pointers", null_out_pointers },
	{ "NULL params and rings to init", null_params_and_rings },
	{ "queue_mmap on a non-ring fd", mmap_not_a_ring },
	{ "NULL sqe, cqe and probe", null_sqe_cqe_probe },
	{ "get_sqe128 on a plain ring", sqe128_on_plain_ring },
	{ "opcode beyond a short probe", short_probe },
};

int main(void)
{
	bi_run_ring_cases(ring_cases, ARRAY_LEN(ring_cases));
	bi_run_cases(cases, ARRAY_LEN(cases));
	return bi_finish("bad-input");
}
