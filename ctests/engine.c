/* What a ring does whoever serves it: the kernel here, the userspace
 * engine under `make check-emulate` (URING_RS_EMULATE=always, or auto
 * where io_uring is refused). Links, hard links, skipped successes, fixed
 * files and FIXED_FD_INSTALL, buffers refused for registration, overflow,
 * timeouts, eventfds, a pollable ring fd, multishot polls and receives
 * over a buffer ring, removals,
 * updates and cancellations among many polls, accept/connect, cancelled
 * requests in hard-linked chains, and a ring shared across fork() must
 * look the same on both. */
#include <liburing.h>
#include <liburing/rs.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>
#include "harness.h"
#include "helpers.h"
#include "kernel.h"

static char tmpl[] = "/tmp/engine-XXXXXX";
/* A buffer address no process maps: reads into it fail with -EFAULT when
 * they run, on every kernel (a bad fd fails earlier on old ones). */
#define BAD_BUF ((void *) 8)

/* Whether this process's rings should be the engine's. */
static int expect_emulated(void)
{
	const char *m = getenv("URING_RS_EMULATE");
	struct io_uring_params p = { 0 };
	int fd;

	if (!m || strcmp(m, "auto") != 0)
		return m && strcmp(m, "always") == 0;
	fd = raw_setup(2, &p);
	if (fd >= 0)
		close(fd);
	return fd == -EPERM || fd == -ENOSYS || fd == -EACCES;
}

static struct io_uring_sqe *sqe_of(struct io_uring *ring, __u64 data, __u8 flags)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	CHECK(sqe != NULL);
	io_uring_prep_nop(sqe);
	sqe->user_data = data;
	sqe->flags = flags;
	return sqe;
}

/* A receive (multishot or one-shot) on `fd` into a buffer of group `bgid`. */
static void recv_select(struct io_uring *ring, __u64 data, int fd, int bgid, int multishot)
{
	struct io_uring_sqe *sqe = sqe_of(ring, data, IOSQE_BUFFER_SELECT);

	if (multishot)
		io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
	else
		io_uring_prep_recv(sqe, fd, NULL, 0, 0);
	sqe->flags = IOSQE_BUFFER_SELECT;
	io_uring_sqe_set_buf_group(sqe, bgid);
}

/* Reaps `n` CQEs, checking their user_data and res in order. */
static void expect(struct io_uring *ring, unsigned n, const __u64 *data, const int *res)
{
	struct io_uring_cqe *cqe;

	for (unsigned i = 0; i < n; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, data[i]);
		CHECK_EQ(cqe->res, res[i]);
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(io_uring_peek_cqe(ring, &cqe), -EAGAIN);
}

/* Reaps `n` CQEs in any order (where kernels differ), each user_data
 * of `data` once, with its res. */
static void expect_set(struct io_uring *ring, unsigned n, const __u64 *data, const int *res)
{
	struct io_uring_cqe *cqe;
	unsigned seen = 0;

	for (unsigned i = 0; i < n; i++) {
		unsigned j = 0;

		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		while (j < n && data[j] != cqe->user_data)
			j++;
		CHECK(j < n && !(seen & (1u << j)));
		CHECK_EQ(cqe->res, res[j]);
		seen |= 1u << j;
		io_uring_cqe_seen(ring, cqe);
	}
}

/* A short read breaks IO_LINK; IO_HARDLINK survives a failure. */
static void links(struct io_uring *ring, int fd)
{
	char buf[8];

	sqe_of(ring, 1, IOSQE_IO_LINK);
	io_uring_prep_read(sqe_of(ring, 2, IOSQE_IO_LINK), fd, buf, sizeof(buf), 0);
	sqe_of(ring, 3, 0);
	CHECK_EQ(io_uring_submit(ring), 3);
	expect(ring, 3, (__u64[]){ 1, 2, 3 }, (int[]){ 0, 2, -ECANCELED });

	io_uring_prep_read(sqe_of(ring, 4, IOSQE_IO_HARDLINK), fd, BAD_BUF, 8, 0);
	sqe_of(ring, 5, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect(ring, 2, (__u64[]){ 4, 5 }, (int[]){ -EFAULT, 0 });
}

static void skip_success(struct io_uring *ring, int fd, int emulated)
{
	/* The engine has it; a kernel ring needs 5.17's. */
	if (!emulated && !(kernel_features() & IORING_FEAT_CQE_SKIP) && !lacks_case("IORING_FEAT_CQE_SKIP"))
		return;
	sqe_of(ring, 6, IOSQE_CQE_SKIP_SUCCESS);
	io_uring_prep_read(sqe_of(ring, 7, IOSQE_CQE_SKIP_SUCCESS), fd, BAD_BUF, 8, 0);
	sqe_of(ring, 8, 0);
	CHECK_EQ(io_uring_submit(ring), 3);
	expect_set(ring, 2, (__u64[]){ 7, 8 }, (int[]){ -EFAULT, 0 });
	/* Once a ring skipped a CQE, it refuses IO_DRAIN. */
	sqe_of(ring, 32, IOSQE_IO_DRAIN);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 32 }, (int[]){ -EOPNOTSUPP });
}

static void fixed_files(struct io_uring *ring, int fd)
{
	char buf[8];

	CHECK_EQ(io_uring_register_files(ring, &fd, 1), 0);
	io_uring_prep_read(sqe_of(ring, 9, IOSQE_FIXED_FILE), 0, buf, sizeof(buf), 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 9 }, (int[]){ 2 });
	CHECK(memcmp(buf, "hi", 2) == 0);
	io_uring_prep_read(sqe_of(ring, 10, IOSQE_FIXED_FILE), 5, buf, sizeof(buf), 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 10 }, (int[]){ -EBADF });
	CHECK_EQ(io_uring_unregister_files(ring), 0);
	CHECK_EQ(io_uring_unregister_files(ring), -ENXIO);
}

/* Buffers the kernel refuses to register: empty, unmapped (it pins them),
 * or wrapping past the address space's end (for a 32-bit program the
 * kernel's 64-bit sum never wraps: the last page is unmapped). */
static void bad_buffers(struct io_uring *ring)
{
	long page = sysconf(_SC_PAGESIZE);
	char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec bad[] = { { two, 0 }, { (void *) 1, 1 }, { two, 2 * page }, { (void *) -page, 10 } };
	int want[] = { -EFAULT, -EFAULT, -EFAULT, sizeof(void *) == 4 ? -EFAULT : -EOVERFLOW };

	/* The second page is a hole. */
	CHECK(two != MAP_FAILED);
	CHECK_EQ(munmap(two + page, page), 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(io_uring_register_buffers(ring, &bad[i], 1), want[i]);
	CHECK_EQ(io_uring_unregister_buffers(ring), -ENXIO);
	munmap(two, page);
}

/* Submits the one SQE prepared: its CQE's res. */
static int run_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int res;

	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* A buffer update stops at a bad buffer: it returns how many slots it
 * filled, and those stay filled; a bad first buffer is the error. */
static void partial_buffer_update(struct io_uring *ring, int fd, int emulated)
{
	static char mem[4096];
	struct iovec iovs[] = { { mem, sizeof(mem) }, { (void *) 1, 1 } };
	struct io_uring_sqe *sqe;

	if (!emulated && !HAVE_SPARSE(IORING_REGISTER_BUFFERS2))
		return;
	CHECK_EQ(io_uring_register_buffers_sparse(ring, 2), 0);
	CHECK_EQ(io_uring_register_buffers_update_tag(ring, 0, iovs, NULL, 2), 1);
	CHECK_EQ(io_uring_register_buffers_update_tag(ring, 1, &iovs[1], NULL, 1), -EFAULT);
	for (int slot = 0; slot < 2; slot++) {
		sqe = io_uring_get_sqe(ring);
		io_uring_prep_read_fixed(sqe, fd, mem, sizeof(mem), 0, slot);
		CHECK_EQ(run_one(ring), slot == 0 ? 2 : -EFAULT);	/* the file holds "hi" */
	}
	CHECK_EQ(io_uring_unregister_buffers(ring), 0);
}

/* FIXED_FD_INSTALL makes a fixed file a normal fd, close-on-exec unless
 * IORING_FIXED_FD_NO_CLOEXEC. Failures in the kernel's order: -EINVAL for
 * a field it does not take (even without IOSQE_FIXED_FILE, else -EBADF)
 * or another flag, before the slot is looked at; -EBADF for an empty or
 * out-of-range slot. */
static void fixed_fd_install(struct io_uring *ring, int fd, int emulated)
{
	int fds[2] = { -1, fd }, got;
	struct io_uring_sqe *sqe;
	struct stat a, b;

	if (!emulated && !HAVE_OP(IORING_OP_FIXED_FD_INSTALL))
		return;
	CHECK_EQ(io_uring_register_files(ring, fds, 2), 0);
	for (unsigned flags = 0; flags <= IORING_FIXED_FD_NO_CLOEXEC; flags++) {
		io_uring_prep_fixed_fd_install(sqe_of(ring, 20, 0), 1, flags);
		got = run_one(ring);
		CHECK(got >= 0 && got != fd);
		CHECK(fstat(got, &a) == 0 && fstat(fd, &b) == 0);
		CHECK(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
		CHECK_EQ(!!(fcntl(got, F_GETFD) & FD_CLOEXEC), !flags);
		close(got);
	}
	/* An empty slot fails when the request runs, the rest at prep, which
	 * ends the submission: the NOP after it waits for the next. */
	io_uring_prep_fixed_fd_install(sqe_of(ring, 21, 0), 0, 0);
	sqe_of(ring, 22, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect(ring, 2, (__u64[]){ 21, 22 }, (int[]){ -EBADF, 0 });
	io_uring_prep_fixed_fd_install(sqe_of(ring, 23, 0), 0, 2);
	sqe_of(ring, 24, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 23 }, (int[]){ -EINVAL });
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 24 }, (int[]){ 0 });
	io_uring_prep_fixed_fd_install(sqe_of(ring, 25, 0), 5, 0);
	CHECK_EQ(run_one(ring), -EBADF);
	sqe = sqe_of(ring, 26, 0);
	io_uring_prep_fixed_fd_install(sqe, 1, 0);
	sqe->flags = 0;
	CHECK_EQ(run_one(ring), -EBADF);
	for (int field = 0; field < 4; field++) {
		sqe = sqe_of(ring, 27, 0);
		io_uring_prep_fixed_fd_install(sqe, 1, 0);
		sqe->flags = field ? IOSQE_FIXED_FILE : 0;
		if (field == 0)
			sqe->off = 1;
		else if (field == 1)
			sqe->file_index = 1;
		else if (field == 2)
			sqe->buf_index = 1;
		else
			sqe->addr3 = 1;
		CHECK_EQ(run_one(ring), -EINVAL);
	}
	CHECK_EQ(io_uring_unregister_files(ring), 0);
}

/* Three CQ-fulls of NOPs, unreaped, then one more: every CQE arrives,
 * in order. */
/* Three CQ-fulls of NOPs, unreaped, then one more: every CQE arrives.
 * The engine keeps them in order, the new one behind the overflowed ones,
 * as current kernels do (5.10 lets it jump the queue). */
static void overflow(int emulated)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	unsigned seen = 0;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	for (int b = 0; b < 3; b++) {
		queue_nops(&ring, 4, 100 + 4 * b);
		CHECK_EQ(io_uring_submit(&ring), 4);
	}
	CHECK_EQ(io_uring_cq_ready(&ring), 8);
	CHECK(io_uring_cq_has_overflow(&ring));
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 100);
	io_uring_cqe_seen(&ring, cqe);
	queue_nops(&ring, 1, 112);
	CHECK_EQ(io_uring_submit(&ring), 1);
	for (int i = 1; i < 13; i++) {
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK(cqe->user_data > 100 && cqe->user_data <= 112 && !(seen & (1u << (cqe->user_data - 100))));
		if (emulated)
			CHECK_EQ(cqe->user_data, 100 + i);
		seen |= 1u << (cqe->user_data - 100);
		io_uring_cqe_seen(&ring, cqe);
	}
	CHECK(!io_uring_cq_has_overflow(&ring));
	io_uring_queue_exit(&ring);
}

static void timeout_and_eventfd(struct io_uring *ring)
{
	struct __kernel_timespec ts = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct pollfd pfd = { .fd = ring->ring_fd, .events = POLLIN };
	eventfd_t count = 0;
	int efd = eventfd(0, EFD_CLOEXEC);

	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
	CHECK(efd >= 0);
	CHECK_EQ(io_uring_register_eventfd(ring, efd), 0);
	CHECK_EQ(io_uring_register_eventfd(ring, efd), -EBUSY);
	sqe_of(ring, 11, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(poll(&pfd, 1, 1000), 1);
	CHECK_EQ(eventfd_read(efd, &count), 0);
	CHECK(count >= 1);
	expect(ring, 1, (__u64[]){ 11 }, (int[]){ 0 });
	CHECK_EQ(io_uring_unregister_eventfd(ring), 0);
	close(efd);
}

/* Fails if a CQE shows up within 20 ms: a wrong CQE the engine's reactor
 * thread posts comes a moment after the right one, so a bare peek would
 * race it. */
static void nothing_yet(struct io_uring *ring)
{
	struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe_timeout(ring, &cqe, &ms20) == 0)
		FAIL("unexpected CQE user_data %llu res %d", (unsigned long long) cqe->user_data, cqe->res);
}

/* Requests that wait: a read and a poll on an empty pipe finish once it
 * has data; a timeout, a count timeout, a linked timeout, a cancel. */
static void waits(struct io_uring *ring)
{
	struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 }, long_ts = { .tv_sec = 10 };
	char buf[4];
	int p[2];

	CHECK_EQ(pipe(p), 0);
	io_uring_prep_read(sqe_of(ring, 20, 0), p[0], buf, sizeof(buf), 0);
	io_uring_prep_poll_add(sqe_of(ring, 21, 0), p[0], POLLIN);
	CHECK_EQ(io_uring_submit(ring), 2);
	nothing_yet(ring);
	CHECK_EQ(write(p[1], "ab", 2), 2);
	expect_set(ring, 2, (__u64[]){ 20, 21 }, (int[]){ 2, POLLIN });

	io_uring_prep_timeout(sqe_of(ring, 22, 0), &ms20, 0, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 22 }, (int[]){ -ETIME });
	io_uring_prep_timeout(sqe_of(ring, 23, 0), &long_ts, 2, 0);
	sqe_of(ring, 24, 0);
	sqe_of(ring, 25, 0);
	CHECK_EQ(io_uring_submit(ring), 3);
	expect(ring, 3, (__u64[]){ 24, 25, 23 }, (int[]){ 0, 0, 0 });

	io_uring_prep_read(sqe_of(ring, 26, IOSQE_IO_LINK), p[0], buf, sizeof(buf), 0);
	io_uring_prep_link_timeout(sqe_of(ring, 27, 0), &ms20, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 2, (__u64[]){ 26, 27 }, (int[]){ -ECANCELED, -ETIME });

	io_uring_prep_read(sqe_of(ring, 28, 0), p[0], buf, sizeof(buf), 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	io_uring_prep_cancel64(sqe_of(ring, 29, 0), 28, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_set(ring, 2, (__u64[]){ 28, 29 }, (int[]){ -ECANCELED, 0 });

	close(p[0]);
	close(p[1]);
}

/* A timed wait that ends with CQEs in the CQ, fewer than it asked for,
 * succeeds. With min_wait_usec (IORING_FEAT_MIN_TIMEOUT, which the engine
 * has), one CQE is enough once that has passed, long before the timeout;
 * with none, the timeout ends the wait. */
static void timed_waits(struct io_uring *ring, int emulated)
{
	struct __kernel_timespec ms30 = { .tv_nsec = 30 * 1000 * 1000 }, long_ts = { .tv_sec = 20 };
	struct io_uring_cqe *cqe;
	long long start;

	sqe_of(ring, 30, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	CHECK_EQ(io_uring_wait_cqes(ring, &cqe, 2, &ms30, NULL), 0);
	CHECK_EQ(cqe->user_data, 30);
	io_uring_cqe_seen(ring, cqe);
	if (!emulated && !HAVE_FEATURE(IORING_FEAT_MIN_TIMEOUT))
		return;
	sqe_of(ring, 31, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	start = now_ns();
	CHECK_EQ(io_uring_wait_cqes_min_timeout(ring, &cqe, 4, &long_ts, 20000, NULL), 0);
	if (now_ns() - start > 10 * 1000000000LL)
		FAIL("a min_timeout wait with a CQE ready lasted until its timeout");
	CHECK_EQ(cqe->user_data, 31);
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_wait_cqes_min_timeout(ring, &cqe, 1, &ms30, 10000, NULL), -ETIME);
}

/* A multishot timeout fires `off` times, each CQE but the last saying
 * more will come. */
static void multishot_timeout(struct io_uring *ring, int emulated)
{
	struct __kernel_timespec ms5 = { .tv_nsec = 5 * 1000 * 1000 };
	struct io_uring_cqe *cqe;

	if (!emulated && !kernel_timeout_multishot() && !lacks_case("IORING_TIMEOUT_MULTISHOT"))
		return;
	io_uring_prep_timeout(sqe_of(ring, 41, 0), &ms5, 3, IORING_TIMEOUT_MULTISHOT);
	CHECK_EQ(io_uring_submit(ring), 1);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, 41);
		CHECK_EQ(cqe->res, -ETIME);
		CHECK_EQ(!!(cqe->flags & IORING_CQE_F_MORE), i < 2);
		io_uring_cqe_seen(ring, cqe);
	}
	nothing_yet(ring);
}

/* Reaps one CQE and checks all of it. */
static void expect_cqe(struct io_uring *ring, __u64 data, int res, unsigned flags)
{
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, data);
	CHECK_EQ(cqe->res, res);
	CHECK_EQ(cqe->flags, flags);
	io_uring_cqe_seen(ring, cqe);
}

/* A multishot poll posts a CQE flagged MORE for each wake-up (none for
 * readiness already reported), and cancelling it posts its last. */
static void multishot_poll(struct io_uring *ring, int emulated)
{
	int p[2];
	char c;

	if (!emulated && !kernel_poll_update() && !lacks_case("IORING_POLL_ADD_MULTI"))
		return;
	CHECK_EQ(pipe(p), 0);
	io_uring_prep_poll_multishot(sqe_of(ring, 60, 0), p[0], POLLIN);
	CHECK_EQ(io_uring_submit(ring), 1);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(write(p[1], "m", 1), 1);
		expect_cqe(ring, 60, POLLIN, IORING_CQE_F_MORE);
		nothing_yet(ring);
	}
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	io_uring_prep_poll_remove(sqe_of(ring, 61, 0), 60);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_set(ring, 2, (__u64[]){ 60, 61 }, (int[]){ -ECANCELED, 0 });
	close(p[0]);
	close(p[1]);
}

/* A multishot recv over a buffer ring: one buffer per CQE in ring order,
 * the head following, -ENOBUFS ending it once data comes to a ring run dry
 * (the data stays queued). */
static void multishot_recv(struct io_uring *ring, int emulated)
{
	static char mem[2][4];
	struct io_uring_buf_ring *br;
	unsigned buf = IORING_CQE_F_BUFFER, more = IORING_CQE_F_MORE;
	int sv[2], err;
	uint16_t head;
	char rest[4];

	if (!emulated && (!kernel_has_pbuf_ring() || !kernel_recv_multishot()) && !lacks_case("IORING_RECV_MULTISHOT"))
		return;
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	br = io_uring_setup_buf_ring(ring, 2, 3, 0, &err);
	CHECK(br != NULL);
	for (int i = 0; i < 2; i++)
		io_uring_buf_ring_add(br, mem[i], sizeof(mem[i]), i, io_uring_buf_ring_mask(2), i);
	io_uring_buf_ring_advance(br, 2);
	recv_select(ring, 70, sv[0], 3, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	CHECK_EQ(write(sv[1], "abcd", 4), 4);
	expect_cqe(ring, 70, 4, buf | more);
	CHECK_EQ(write(sv[1], "efgh", 4), 4);
	expect_cqe(ring, 70, 4, buf | more | 1 << IORING_CQE_BUFFER_SHIFT);
	/* Its last buffer taken, it waits for data before it ends (as 6.18's
	 * kernel, which retries only while the socket says it holds more;
	 * 6.12's ends it at once). */
	if (emulated)
		nothing_yet(ring);
	CHECK(memcmp(mem, "abcdefgh", 8) == 0);
	if (emulated || kernel_pbuf_status() || lacks_case("IORING_REGISTER_PBUF_STATUS")) {
		CHECK_EQ(io_uring_buf_ring_head(ring, 3, &head), 0);
		CHECK_EQ(head, 2);
	}
	CHECK_EQ(write(sv[1], "ij", 2), 2);
	expect_cqe(ring, 70, -ENOBUFS, 0);
	nothing_yet(ring);
	CHECK_EQ(recv(sv[0], rest, sizeof(rest), MSG_DONTWAIT), 2);
	CHECK_EQ(io_uring_free_buf_ring(ring, br, 2, 3), 0);
	close(sv[0]);
	close(sv[1]);
}

/* On a datagram socket, which cannot say whether more is queued, a
 * multishot recv tries again at once, whether the datagram was there or
 * woke it: with its buffer ring run dry, it ends with -ENOBUFS without
 * waiting for more data. */
static void multishot_recv_dgram(struct io_uring *ring, int emulated)
{
	static char mem[4];
	struct io_uring_buf_ring *br;
	int sv[2], err;

	if (!emulated && (!kernel_has_pbuf_ring() || !kernel_recv_multishot()) && !lacks_case("IORING_RECV_MULTISHOT"))
		return;
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	br = io_uring_setup_buf_ring(ring, 1, 5, 0, &err);
	CHECK(br != NULL);
	io_uring_buf_ring_add(br, mem, sizeof(mem), 0, io_uring_buf_ring_mask(1), 0);
	io_uring_buf_ring_advance(br, 1);
	CHECK_EQ(write(sv[1], "dgram", 5), 5);
	recv_select(ring, 75, sv[0], 5, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_cqe(ring, 75, 4, IORING_CQE_F_BUFFER | IORING_CQE_F_MORE);
	expect_cqe(ring, 75, -ENOBUFS, 0);
	/* So does one that waited for the datagram. */
	io_uring_buf_ring_add(br, mem, sizeof(mem), 0, io_uring_buf_ring_mask(1), 0);
	io_uring_buf_ring_advance(br, 1);
	recv_select(ring, 78, sv[0], 5, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	CHECK_EQ(write(sv[1], "dgram", 5), 5);
	expect_cqe(ring, 78, 4, IORING_CQE_F_BUFFER | IORING_CQE_F_MORE);
	expect_cqe(ring, 78, -ENOBUFS, 0);
	/* Shut down for reading, the socket says -EAGAIN to a receive that
	 * may not wait: a multishot one waits for good, until cancelled. */
	CHECK_EQ(shutdown(sv[0], SHUT_RD), 0);
	io_uring_buf_ring_add(br, mem, sizeof(mem), 0, io_uring_buf_ring_mask(1), 0);
	io_uring_buf_ring_advance(br, 1);
	recv_select(ring, 76, sv[0], 5, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	io_uring_prep_cancel64(sqe_of(ring, 77, 0), 76, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_set(ring, 2, (__u64[]){ 76, 77 }, (int[]){ -ECANCELED, 0 });
	CHECK_EQ(io_uring_free_buf_ring(ring, br, 1, 5), 0);
	close(sv[0]);
	close(sv[1]);
}

/* Work that blocks runs beside the program (the kernel's io-wq, the
 * engine's workers): an IOSQE_ASYNC read of an empty pipe leaves submit
 * free to return, and a write, an fsync and a read back chained on a
 * file all complete. */
static void async_work(struct io_uring *ring, int fd)
{
	char buf[4], out[4] = "xyz";
	int p[2];

	CHECK_EQ(pipe(p), 0);
	io_uring_prep_read(sqe_of(ring, 50, IOSQE_ASYNC), p[0], buf, 1, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	CHECK_EQ(write(p[1], "q", 1), 1);
	expect(ring, 1, (__u64[]){ 50 }, (int[]){ 1 });
	CHECK_EQ(buf[0], 'q');

	io_uring_prep_write(sqe_of(ring, 51, IOSQE_IO_LINK | IOSQE_ASYNC), fd, out, 3, 16);
	io_uring_prep_fsync(sqe_of(ring, 52, IOSQE_IO_LINK), fd, IORING_FSYNC_DATASYNC);
	io_uring_prep_read(sqe_of(ring, 53, 0), fd, buf, 3, 16);
	CHECK_EQ(io_uring_submit(ring), 3);
	expect(ring, 3, (__u64[]){ 51, 52, 53 }, (int[]){ 3, 0, 3 });
	CHECK(memcmp(buf, "xyz", 3) == 0);
	close(p[0]);
	close(p[1]);
}

/* A listening loopback TCP socket; its address in `sa`. */
static int listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK(fd >= 0);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_EQ(bind(fd, (struct sockaddr *) sa, sizeof(*sa)), 0);
	CHECK_EQ(listen(fd, 4), 0);
	CHECK_EQ(getsockname(fd, (struct sockaddr *) sa, &len), 0);
	return fd;
}

/* Data and the peer's FIN that arrive in one segment (TCP_CORK holds the
 * data back until shutdown tacks the FIN on) wake a waiting multishot
 * receive once: it posts the data, then ends with 0 for the FIN, which no
 * later wake-up would announce. */
static void multishot_recv_fin(struct io_uring *ring, int emulated)
{
	static char mem[4][8];
	struct __kernel_timespec ten_s = { .tv_sec = 10 };
	struct io_uring_buf_ring *br;
	struct io_uring_cqe *cqe;
	struct sockaddr_in sa;
	int lfd = listener(&sa), cfd = socket(AF_INET, SOCK_STREAM, 0), sfd, err, on = 1;

	if (!emulated && (!kernel_has_pbuf_ring() || !kernel_recv_multishot()) && !lacks_case("IORING_RECV_MULTISHOT"))
		return;
	CHECK_EQ(connect(cfd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	sfd = accept(lfd, NULL, NULL);
	CHECK(sfd >= 0);
	br = io_uring_setup_buf_ring(ring, 4, 8, 0, &err);
	CHECK(br != NULL);
	for (int i = 0; i < 4; i++)
		io_uring_buf_ring_add(br, mem[i], sizeof(mem[i]), i, io_uring_buf_ring_mask(4), i);
	io_uring_buf_ring_advance(br, 4);
	recv_select(ring, 78, sfd, 8, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	CHECK_EQ(write(cfd, "head", 4), 4);
	expect_cqe(ring, 78, 4, IORING_CQE_F_BUFFER | IORING_CQE_F_MORE);
	CHECK_EQ(setsockopt(cfd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on)), 0);
	CHECK_EQ(write(cfd, "tail", 4), 4);
	CHECK_EQ(shutdown(cfd, SHUT_WR), 0);
	/* The kernel adds SOCK_NONEMPTY for the FIN still queued; the engine,
	 * which asks FIONREAD (blind to a FIN), does not. */
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 78);
	CHECK_EQ(cqe->res, 4);
	CHECK_EQ(cqe->flags & ~IORING_CQE_F_SOCK_NONEMPTY, IORING_CQE_F_BUFFER | IORING_CQE_F_MORE | 1 << IORING_CQE_BUFFER_SHIFT);
	io_uring_cqe_seen(ring, cqe);
	CHECK(memcmp(mem, "head\0\0\0\0tail", 12) == 0);
	err = io_uring_wait_cqe_timeout(ring, &cqe, &ten_s);
	if (err)
		FAIL("no CQE for the peer's FIN within 10 s: %d", err);
	CHECK_EQ(cqe->user_data, 78);
	CHECK_EQ(cqe->res, 0);
	CHECK(!(cqe->flags & IORING_CQE_F_MORE));
	io_uring_cqe_seen(ring, cqe);
	CHECK_EQ(io_uring_free_buf_ring(ring, br, 4, 8), 0);
	close(sfd);
	close(cfd);
	close(lfd);
}

/* An accept waits for its connection, which a connect on the same ring
 * makes; the accepted socket is the client's peer. A connect to a port
 * nobody listens on is refused. */
static void accept_connect(struct io_uring *ring, int emulated)
{
	struct sockaddr_in sa, peer, mine;
	socklen_t peer_len = sizeof(peer), len = sizeof(mine);
	struct io_uring_cqe *cqe;
	int lfd = listener(&sa), cfd = socket(AF_INET, SOCK_STREAM, 0), sfd = -1;

	if (!emulated && (!HAVE_OP(IORING_OP_ACCEPT) || !HAVE_OP(IORING_OP_CONNECT)))
		return;
	io_uring_prep_accept(sqe_of(ring, 60, 0), lfd, (struct sockaddr *) &peer, &peer_len, SOCK_CLOEXEC);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	io_uring_prep_connect(sqe_of(ring, 61, 0), cfd, (struct sockaddr *) &sa, sizeof(sa));
	CHECK_EQ(io_uring_submit(ring), 1);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK(cqe->user_data == 60 || cqe->user_data == 61);
		if (cqe->user_data == 60)
			sfd = cqe->res;
		else
			CHECK_EQ(cqe->res, 0);
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK(sfd >= 0);
	CHECK(fcntl(sfd, F_GETFD) & FD_CLOEXEC);
	CHECK_EQ(getsockname(cfd, (struct sockaddr *) &mine, &len), 0);
	CHECK_EQ(peer_len, sizeof(peer));
	CHECK_EQ(peer.sin_port, mine.sin_port);
	CHECK_EQ(write(cfd, "s", 1), 1);
	CHECK_EQ(read(sfd, &len, 1), 1);
	close(sfd);
	close(cfd);

	/* Refused: the listener's port once it is closed. */
	close(lfd);
	if (!have_refused_connect(&sa))
		return;
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	io_uring_prep_connect(sqe_of(ring, 62, 0), cfd, (struct sockaddr *) &sa, sizeof(sa));
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 62 }, (int[]){ -ECONNREFUSED });
	close(cfd);
}

/* An accept nobody connects to ends by ASYNC_CANCEL, or by its linked
 * timeout: -ECANCELED, and -ETIME for the timeout. */
static void cancelled_accept(struct io_uring *ring, int emulated)
{
	struct __kernel_timespec ms5 = { .tv_nsec = 5 * 1000 * 1000 };
	struct sockaddr_in sa;
	int lfd = listener(&sa);

	if (!emulated && !HAVE_OP(IORING_OP_ACCEPT))
		return;
	io_uring_prep_accept(sqe_of(ring, 63, 0), lfd, NULL, NULL, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	io_uring_prep_cancel64(sqe_of(ring, 64, 0), 63, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_set(ring, 2, (__u64[]){ 63, 64 }, (int[]){ -ECANCELED, 0 });

	io_uring_prep_accept(sqe_of(ring, 65, IOSQE_IO_LINK), lfd, NULL, NULL, 0);
	io_uring_prep_link_timeout(sqe_of(ring, 66, 0), &ms5, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 2, (__u64[]){ 65, 66 }, (int[]){ -ECANCELED, -ETIME });
	close(lfd);
}

/* A cancelled request fails as any other: IO_LINK cancels the rest of its
 * chain, IO_HARDLINK runs it, whether ASYNC_CANCEL or a linked timeout
 * cancelled it. */
static void cancelled_hardlink(struct io_uring *ring)
{
	struct __kernel_timespec ms5 = { .tv_nsec = 5 * 1000 * 1000 };
	int sv[2];
	char c;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	io_uring_prep_recv(sqe_of(ring, 80, IOSQE_IO_HARDLINK), sv[0], &c, 1, 0);
	sqe_of(ring, 81, 0);
	io_uring_prep_recv(sqe_of(ring, 82, IOSQE_IO_LINK), sv[0], &c, 1, 0);
	sqe_of(ring, 83, 0);
	CHECK_EQ(io_uring_submit(ring), 4);
	nothing_yet(ring);
	io_uring_prep_cancel64(sqe_of(ring, 84, 0), 80, 0);
	io_uring_prep_cancel64(sqe_of(ring, 85, 0), 82, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 6, (__u64[]){ 80, 81, 82, 83, 84, 85 }, (int[]){ -ECANCELED, 0, -ECANCELED, -ECANCELED, 0, 0 });

	io_uring_prep_recv(sqe_of(ring, 86, IOSQE_IO_HARDLINK), sv[0], &c, 1, 0);
	io_uring_prep_link_timeout(sqe_of(ring, 87, IOSQE_IO_HARDLINK), &ms5, 0);
	sqe_of(ring, 88, 0);
	CHECK_EQ(io_uring_submit(ring), 3);
	expect_set(ring, 3, (__u64[]){ 86, 87, 88 }, (int[]){ -ECANCELED, -ETIME, 0 });
	close(sv[0]);
	close(sv[1]);
}

/* A poll and a receive waiting on one socket are both woken by the data
 * that comes: the poll reports POLLIN though the receive took the data.
 * A poll reports POLLRDHUP once the peer shuts down, asked or not. */
static void poll_beside_recv(struct io_uring *ring)
{
	int sv[2];
	char c;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	io_uring_prep_poll_add(sqe_of(ring, 90, 0), sv[0], POLLIN);
	io_uring_prep_recv(sqe_of(ring, 91, 0), sv[0], &c, 1, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	nothing_yet(ring);
	CHECK_EQ(write(sv[1], "p", 1), 1);
	expect_set(ring, 2, (__u64[]){ 90, 91 }, (int[]){ POLLIN, 1 });

	io_uring_prep_poll_add(sqe_of(ring, 92, 0), sv[0], POLLIN);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	CHECK_EQ(shutdown(sv[1], SHUT_WR), 0);
	expect_cqe(ring, 92, POLLIN | POLLRDHUP, 0);
	io_uring_prep_poll_add(sqe_of(ring, 93, 0), sv[0], POLLOUT);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_cqe(ring, 93, POLLOUT | POLLRDHUP, 0);
	close(sv[0]);
	close(sv[1]);
}

/* Reaps `left` CQEs, each of a user_data below `end` still `due` (then
 * no longer) and with the res `res` holds for it; then none is left. */
static void reap_due(struct io_uring *ring, unsigned left, char *due, const int *res, __u64 end)
{
	struct io_uring_cqe *cqe;

	for (; left; left--) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK(cqe->user_data < end && due[cqe->user_data]);
		CHECK_EQ(cqe->res, res[cqe->user_data]);
		due[cqe->user_data] = 0;
		io_uring_cqe_seen(ring, cqe);
	}
	nothing_yet(ring);
}

/* Polls by the hundred on one pipe: POLL_REMOVE, a poll update and
 * ASYNC_CANCEL by user_data each reach the one they name, and of two
 * polls that share a user_data (armed first, on another pipe each) an
 * update reaches the one the kernel finds: the newer. */
static void many_polls(int emulated)
{
	enum { N = 100, FIRST = 100, MOVED = 1000, END = MOVED + FIRST + N };
	/* Each user_data's expected res, and whether its CQE is still due. */
	static int res[END];
	static char due[END];
	struct io_uring ring;
	int p[2], q[2];

	if (!emulated && !kernel_poll_update() && !lacks_case("IORING_POLL_ADD_MULTI"))
		return;
	CHECK_EQ(io_uring_queue_init(256, &ring, 0), 0);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(pipe(q), 0);
	io_uring_prep_poll_add(sqe_of(&ring, 7, 0), p[0], POLLIN);
	CHECK_EQ(io_uring_submit(&ring), 1);
	io_uring_prep_poll_add(sqe_of(&ring, 7, 0), q[0], POLLIN);
	CHECK_EQ(io_uring_submit(&ring), 1);
	for (int i = FIRST; i < FIRST + N; i++)
		io_uring_prep_poll_add(sqe_of(&ring, i, 0), p[0], POLLIN);
	CHECK_EQ(io_uring_submit(&ring), N);
	nothing_yet(&ring);
	io_uring_prep_poll_update(sqe_of(&ring, 1, 0), 7, 8, 0, IORING_POLL_UPDATE_USER_DATA);
	io_uring_prep_poll_remove(sqe_of(&ring, 2, 0), 130);
	io_uring_prep_cancel64(sqe_of(&ring, 3, 0), 170, 0);
	io_uring_prep_poll_update(sqe_of(&ring, 4, 0), 140, MOVED + 140, POLLIN,
				  IORING_POLL_UPDATE_USER_DATA | IORING_POLL_UPDATE_EVENTS);
	io_uring_prep_poll_remove(sqe_of(&ring, 5, 0), END - 1);
	CHECK_EQ(io_uring_submit(&ring), 5);
	for (int i = 0; i < END; i++)
		res[i] = i == 130 || i == 170 ? -ECANCELED : i == 5 ? -ENOENT : i <= 4 ? 0 : POLLIN;
	for (int i = 1; i <= 5; i++)
		due[i] = 1;
	due[130] = due[170] = 1;
	reap_due(&ring, 7, due, res, END);
	/* The newer 7 is 8 now; then the rest fire: the older 7, 140 as 1140. */
	CHECK_EQ(write(q[1], "q", 1), 1);
	due[8] = 1;
	reap_due(&ring, 1, due, res, END);
	CHECK_EQ(write(p[1], "p", 1), 1);
	due[7] = due[MOVED + 140] = 1;
	for (int i = FIRST; i < FIRST + N; i++)
		due[i] = i != 130 && i != 170 && i != 140;
	reap_due(&ring, N - 1, due, res, END);
	io_uring_queue_exit(&ring);
	for (int i = 0; i < 2; i++) {
		close(p[i]);
		close(q[i]);
	}
}

/* A poll linked behind a receive is armed once the receive took the
 * data: it waits for what comes next (the wake-up that ran the receive is
 * not its own, whose readiness no longer holds). */
static void poll_after_recv(struct io_uring *ring)
{
	struct __kernel_timespec ms20 = { .tv_nsec = 20 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	int sv[2];
	char c;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	io_uring_prep_recv(sqe_of(ring, 105, IOSQE_IO_LINK), sv[0], &c, 1, 0);
	io_uring_prep_poll_add(sqe_of(ring, 106, 0), sv[0], POLLIN);
	CHECK_EQ(io_uring_submit(ring), 2);
	nothing_yet(ring);
	CHECK_EQ(write(sv[1], "r", 1), 1);
	expect_cqe(ring, 105, 1, 0);
	CHECK_EQ(io_uring_wait_cqe_timeout(ring, &cqe, &ms20), -ETIME);
	CHECK_EQ(write(sv[1], "p", 1), 1);
	expect_cqe(ring, 106, POLLIN, 0);
	close(sv[0]);
	close(sv[1]);
}

/* A datagram socket shut down for reading says -EAGAIN to a receive that
 * does not wait, and 0 to one that does: a receive gets 0, one into a
 * buffer ring's buffer takes the buffer. */
static void recv_shut_dgram(struct io_uring *ring, int emulated)
{
	static char mem[4];
	struct io_uring_buf_ring *br;
	int sv[2], err;
	char c;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(shutdown(sv[0], SHUT_RD), 0);
	io_uring_prep_recv(sqe_of(ring, 95, 0), sv[0], &c, 1, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_cqe(ring, 95, 0, 0);
	/* A buffer of PROVIDE_BUFFERS stays in its group (as in 6.18's
	 * kernel; 5.10's takes it). */
	if (emulated) {
		io_uring_prep_provide_buffers(sqe_of(ring, 93, 0), mem, sizeof(mem), 1, 6, 0);
		recv_select(ring, 94, sv[0], 6, 0);
		CHECK_EQ(io_uring_submit(ring), 2);
		expect_cqe(ring, 93, 0, 0);
		expect_cqe(ring, 94, 0, 0);
		io_uring_prep_remove_buffers(sqe_of(ring, 92, 0), 1, 6);
		CHECK_EQ(io_uring_submit(ring), 1);
		expect_cqe(ring, 92, 1, 0);
	}
	if (emulated || kernel_has_pbuf_ring() || lacks_case("IORING_REGISTER_PBUF_RING")) {
		br = io_uring_setup_buf_ring(ring, 1, 4, 0, &err);
		CHECK(br != NULL);
		io_uring_buf_ring_add(br, mem, sizeof(mem), 7, io_uring_buf_ring_mask(1), 0);
		io_uring_buf_ring_advance(br, 1);
		recv_select(ring, 96, sv[0], 4, 0);
		CHECK_EQ(io_uring_submit(ring), 1);
		expect_cqe(ring, 96, 0, IORING_CQE_F_BUFFER | 7 << IORING_CQE_BUFFER_SHIFT);
		CHECK_EQ(io_uring_free_buf_ring(ring, br, 1, 4), 0);
	}
	close(sv[0]);
	close(sv[1]);
}

/* Waits up to 5 s for a datagram on `fd`: a send's CQE can come before
 * loopback delivers it (seen once on 6.1 under TCG). */
static void datagram_arrives(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	CHECK_EQ(poll(&p, 1, 5000), 1);
}

/* A send waiting in a chain reads its destination address when it is
 * submitted, as the kernel's prep copies it: the program may reuse the
 * memory at once (on kernels whose SEND takes an address, which came with
 * SEND_ZC). */
static void chained_send_addr(struct io_uring *ring, int emulated)
{
	struct __kernel_timespec ms10 = { .tv_nsec = 10 * 1000 * 1000 };
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	struct io_uring_sqe *sqe;
	char c = 0;

	if (!emulated && !HAVE_OP(IORING_OP_SEND_ZC))
		return;
	CHECK_EQ(bind(rx, (struct sockaddr *) &sa, sizeof(sa)), 0);
	CHECK_EQ(getsockname(rx, (struct sockaddr *) &sa, &len), 0);
	io_uring_prep_timeout(sqe_of(ring, 97, IOSQE_IO_LINK), &ms10, 0, IORING_TIMEOUT_ETIME_SUCCESS);
	sqe = sqe_of(ring, 98, 0);
	io_uring_prep_send(sqe, tx, "a", 1, 0);
	io_uring_prep_send_set_addr(sqe, (struct sockaddr *) &sa, sizeof(sa));
	CHECK_EQ(io_uring_submit(ring), 2);
	memset(&sa, 0, sizeof(sa));
	expect(ring, 2, (__u64[]){ 97, 98 }, (int[]){ -ETIME, 1 });
	datagram_arrives(rx);
	CHECK_EQ(recv(rx, &c, 1, MSG_DONTWAIT), 1);
	CHECK_EQ(c, 'a');
	/* A SENDMSG's msghdr, iovecs and address too (its data is read when
	 * it sends). */
	CHECK_EQ(getsockname(rx, (struct sockaddr *) &sa, &len), 0);
	struct iovec iov = { .iov_base = "b", .iov_len = 1 };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1 };
	io_uring_prep_timeout(sqe_of(ring, 99, IOSQE_IO_LINK), &ms10, 0, IORING_TIMEOUT_ETIME_SUCCESS);
	io_uring_prep_sendmsg(sqe_of(ring, 100, 0), tx, &msg, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	memset(&sa, 0, sizeof(sa));
	memset(&iov, 0, sizeof(iov));
	memset(&msg, 0, sizeof(msg));
	expect(ring, 2, (__u64[]){ 99, 100 }, (int[]){ -ETIME, 1 });
	datagram_arrives(rx);
	CHECK_EQ(recv(rx, &c, 1, MSG_DONTWAIT), 1);
	CHECK_EQ(c, 'b');
	close(rx);
	close(tx);
}

/* A RECVMSG takes its msghdr and iovecs at submission, as the kernel's
 * prep copies them, and writes its lengths and flags back into the
 * program's msghdr: one that waits for data and one later in a chain
 * (behind a read of a pipe), each with its iovec pointed elsewhere once
 * submitted. */
static void recvmsg_copied(struct io_uring *ring, int emulated)
{
	char buf[2], other[4], byte;
	struct iovec iov;
	struct msghdr msg;
	int sv[2], pfd[2];

	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(pipe(pfd), 0);
	for (int chained = 0; chained < 2; chained++) {
		memset(buf, 0, sizeof(buf));
		memset(other, 0, sizeof(other));
		iov = (struct iovec) { .iov_base = buf, .iov_len = sizeof(buf) };
		msg = (struct msghdr) { .msg_iov = &iov, .msg_iovlen = 1 };
		if (chained)
			io_uring_prep_read(sqe_of(ring, 101, IOSQE_IO_LINK), pfd[0], &byte, 1, 0);
		io_uring_prep_recvmsg(sqe_of(ring, 102, 0), sv[0], &msg, 0);
		CHECK_EQ(io_uring_submit(ring), 1 + chained);
		iov = (struct iovec) { .iov_base = other, .iov_len = sizeof(other) };
		CHECK_EQ(send(sv[1], "hey", 3, 0), 3);
		if (chained) {
			CHECK_EQ(write(pfd[1], "x", 1), 1);
			expect(ring, 2, (__u64[]){ 101, 102 }, (int[]){ 1, 2 });
		} else {
			struct io_uring_cqe *cqe;

			CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
			CHECK_EQ(cqe->user_data, 102);
			/* Debian's 5.10 cancels it, then completes it again: the
			 * rest of this case is skipped, its CQEs reaped. */
			if (!emulated && cqe->res == -ECANCELED && !lacks_case("a RECVMSG that waits for a datagram")) {
				struct __kernel_timespec ms100 = { .tv_nsec = 100 * 1000 * 1000 };

				do
					io_uring_cqe_seen(ring, cqe);
				while (io_uring_wait_cqe_timeout(ring, &cqe, &ms100) == 0);
				goto out;
			}
			CHECK_EQ(cqe->res, 2);
			io_uring_cqe_seen(ring, cqe);
		}
		CHECK_EQ(memcmp(buf, "he", 2), 0);
		CHECK_EQ(other[0], 0);
		CHECK_EQ(msg.msg_flags, MSG_TRUNC);
	}
	/* The kernel never reads a RECVMSG's addr3 (the engine keeps the
	 * program's msghdr there once it copied it). */
	CHECK_EQ(send(sv[1], "hey", 3, 0), 3);
	msg.msg_flags = 0;
	struct io_uring_sqe *sqe = sqe_of(ring, 103, 0);
	io_uring_prep_recvmsg(sqe, sv[0], &msg, 0);
	sqe->addr3 = 8;
	CHECK_EQ(io_uring_submit(ring), 1);
	expect(ring, 1, (__u64[]){ 103 }, (int[]){ 3 });
	CHECK_EQ(msg.msg_flags, 0);
out:
	close(pfd[0]);
	close(pfd[1]);
	close(sv[0]);
	close(sv[1]);
}

/* A connected loopback TCP pair with small socket buffers, so a large
 * send moves in many steps. */
static void small_tcp_pair(int sv[2])
{
	struct sockaddr_in sa;
	int l = listener(&sa), small = 16384;

	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(sv[0] >= 0);
	CHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	CHECK_EQ(connect(sv[0], (struct sockaddr *) &sa, sizeof(sa)), 0);
	sv[1] = accept(l, NULL, NULL);
	CHECK(sv[1] >= 0);
	CHECK_EQ(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	close(l);
}

/* MSG_WAITALL sends on a stream socket go on until every byte is sent, as
 * the kernel retries them: a SENDMSG over two iovecs and a SEND_ZC (then
 * its notification), each against a MSG_WAITALL receive of it all. */
static void send_waitall(struct io_uring *ring, int emulated)
{
	enum { LEN = 1 << 22 };
	static char out[LEN], in[LEN];
	struct io_uring_cqe *cqe;
	struct iovec iov[2] = { { out, 1 }, { out + 1, LEN - 1 } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	int sv[2];

	if (!emulated && !HAVE_OP(IORING_OP_SEND_ZC))
		return;
	for (int i = 0; i < LEN; i++)
		out[i] = (char) (i * 7 + i / 4093);
	small_tcp_pair(sv);
	io_uring_prep_sendmsg(sqe_of(ring, 101, 0), sv[0], &msg, MSG_WAITALL);
	io_uring_prep_recv(sqe_of(ring, 102, 0), sv[1], in, LEN, MSG_WAITALL);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 2, (__u64[]){ 101, 102 }, (int[]){ LEN, LEN });
	CHECK(memcmp(in, out, LEN) == 0);
	memset(in, 0, LEN);
	io_uring_prep_send_zc(sqe_of(ring, 103, 0), sv[0], out, LEN, MSG_WAITALL, 0);
	io_uring_prep_recv(sqe_of(ring, 104, 0), sv[1], in, LEN, MSG_WAITALL);
	CHECK_EQ(io_uring_submit(ring), 2);
	for (int seen = 0; seen != 7;) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		if (cqe->user_data == 104) {
			CHECK_EQ(cqe->res, LEN);
			seen |= 1;
		} else if (cqe->flags & IORING_CQE_F_NOTIF) {
			CHECK_EQ(cqe->user_data, 103);
			CHECK((seen & 2) && !(seen & 4));
			seen |= 4;
		} else {
			CHECK_EQ(cqe->user_data, 103);
			CHECK_EQ(cqe->res, LEN);
			CHECK(cqe->flags & IORING_CQE_F_MORE);
			seen |= 2;
		}
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK(memcmp(in, out, LEN) == 0);
	close(sv[0]);
	close(sv[1]);
}

/* A MSG_WAITALL receive that cuts a message short, or gets less than it
 * asked for, fails: its link breaks (on kernels that check MSG_WAITALL's
 * outcome; older ones let it pass). */
static void recv_waitall_cut(struct io_uring *ring, int emulated)
{
	struct io_uring_cqe *cqe;
	int sv[2], res[2];
	char buf[4];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	CHECK_EQ(write(sv[1], "message", 7), 7);
	io_uring_prep_recv(sqe_of(ring, 97, IOSQE_IO_LINK), sv[0], buf, sizeof(buf), MSG_WAITALL);
	sqe_of(ring, 98, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
		CHECK(cqe->user_data == 97 || cqe->user_data == 98);
		res[cqe->user_data - 97] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	CHECK_EQ(res[0], 4);
	if (!emulated && res[1] == 0 && !lacks_case("a failing MSG_WAITALL receive that cuts a message"))
		goto out;
	CHECK_EQ(res[1], -ECANCELED);
	/* So does a RECVMSG that waited for the message. */
	io_uring_prep_recvmsg(sqe_of(ring, 99, IOSQE_IO_LINK), sv[0], &msg, MSG_WAITALL);
	sqe_of(ring, 100, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	nothing_yet(ring);
	CHECK_EQ(write(sv[1], "message", 7), 7);
	expect_set(ring, 2, (__u64[]){ 99, 100 }, (int[]){ 4, -ECANCELED });
	/* So does one that gets less than it asked for and may not wait (as
	 * 6.1's kernel and later; 5.10's says -EAGAIN). */
	CHECK_EQ(write(sv[1], "me", 2), 2);
	io_uring_prep_recv(sqe_of(ring, 101, IOSQE_IO_LINK), sv[0], buf, sizeof(buf), MSG_WAITALL | MSG_DONTWAIT);
	sqe_of(ring, 102, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	res[0] = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	if (!emulated && res[0] == -EAGAIN && !lacks_case("MSG_WAITALL receives that take what there is"))
		goto out;
	CHECK_EQ(res[0], 2);
	expect_cqe(ring, 102, -ECANCELED, 0);
	/* And one that gets the 0 of a datagram socket shut down for reading. */
	close(sv[0]);
	close(sv[1]);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	CHECK_EQ(shutdown(sv[0], SHUT_RD), 0);
	io_uring_prep_recvmsg(sqe_of(ring, 103, IOSQE_IO_LINK), sv[0], &msg, MSG_WAITALL);
	sqe_of(ring, 104, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 2, (__u64[]){ 103, 104 }, (int[]){ 0, -ECANCELED });
out:
	close(sv[0]);
	close(sv[1]);
}

/* A futex wait nobody wakes: ASYNC_CANCEL and a linked timeout each end
 * it with -ECANCELED, and answer 1 (the kernel's count of cancelled futex
 * waits) rather than 0 or -ETIME. The engine's linked timeout does as
 * 6.18's; 6.12's answered -ETIME, so kernel rings skip that part. */
static void cancelled_futex(struct io_uring *ring, int emulated)
{
	struct __kernel_timespec ms5 = { .tv_nsec = 5 * 1000 * 1000 };
	static unsigned word;

	if (!emulated && !HAVE_OP(IORING_OP_FUTEX_WAIT))
		return;
	io_uring_prep_futex_wait(sqe_of(ring, 70, 0), &word, 0, FUTEX_BITSET_MATCH_ANY, 0x82, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	nothing_yet(ring);
	io_uring_prep_cancel64(sqe_of(ring, 71, 0), 70, 0);
	CHECK_EQ(io_uring_submit(ring), 1);
	expect_set(ring, 2, (__u64[]){ 70, 71 }, (int[]){ -ECANCELED, 1 });
	if (!emulated)
		return;

	io_uring_prep_futex_wait(sqe_of(ring, 72, IOSQE_IO_LINK), &word, 0, FUTEX_BITSET_MATCH_ANY, 0x82, 0);
	io_uring_prep_link_timeout(sqe_of(ring, 73, 0), &ms5, 0);
	CHECK_EQ(io_uring_submit(ring), 2);
	expect_set(ring, 2, (__u64[]){ 72, 73 }, (int[]){ -ECANCELED, 1 });
}

/* IO_DRAIN holds a NOP back until the read before it finishes. */
static void drain(void)
{
	struct io_uring ring;
	char buf[4];
	int p[2];

	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	io_uring_prep_read(sqe_of(&ring, 30, 0), p[0], buf, sizeof(buf), 0);
	sqe_of(&ring, 31, IOSQE_IO_DRAIN);
	CHECK_EQ(io_uring_submit(&ring), 2);
	nothing_yet(&ring);
	CHECK_EQ(write(p[1], "c", 1), 1);
	expect(&ring, 2, (__u64[]){ 30, 31 }, (int[]){ 1, 0 });
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/* An emulated ring's fd is the program's: closing it leaves the ring
 * working. (A kernel ring is then out of reach of io_uring_enter.) */
static void closed_ring_fd(int emulated)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int p[2];
	char c;

	if (!emulated)
		return;
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(close(ring.ring_fd), 0);
	io_uring_prep_read(sqe_of(&ring, 40, 0), p[0], &c, 1, 0);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(write(p[1], "z", 1), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->res, 1);
	io_uring_cqe_seen(&ring, cqe);
	ring.ring_fd = -1;
	ring.enter_ring_fd = -1;
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
}

/* The PostgreSQL pattern: the struct in shared memory, the ring set up
 * before fork(); the child submits, the parent reaps. */
static void across_fork(void)
{
	struct io_uring *ring = mmap(NULL, sizeof(*ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct io_uring_cqe *cqe;
	int status;
	pid_t pid;

	CHECK(ring != MAP_FAILED);
	CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sqe_of(ring, 12, 0);
		_exit(io_uring_submit(ring) == 1 ? 0 : 1);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 12);
	io_uring_cqe_seen(ring, cqe);
	io_uring_queue_exit(ring);
	munmap(ring, sizeof(*ring));
}

int main(void)
{
	struct io_uring ring;
	int fd = mkstemp(tmpl), emulated;

	CHECK(fd >= 0);
	unlink(tmpl);
	CHECK_EQ(write(fd, "hi", 2), 2);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	emulated = expect_emulated();
	CHECK_EQ(io_uring_rs_is_emulated(&ring), emulated);
	links(&ring, fd);
	skip_success(&ring, fd, emulated);
	fixed_files(&ring, fd);
	bad_buffers(&ring);
	partial_buffer_update(&ring, fd, emulated);
	fixed_fd_install(&ring, fd, emulated);
	timeout_and_eventfd(&ring);
	waits(&ring);
	timed_waits(&ring, emulated);
	multishot_timeout(&ring, emulated);
	multishot_poll(&ring, emulated);
	multishot_recv(&ring, emulated);
	multishot_recv_dgram(&ring, emulated);
	multishot_recv_fin(&ring, emulated);
	async_work(&ring, fd);
	accept_connect(&ring, emulated);
	cancelled_accept(&ring, emulated);
	cancelled_futex(&ring, emulated);
	cancelled_hardlink(&ring);
	poll_beside_recv(&ring);
	many_polls(emulated);
	poll_after_recv(&ring);
	recv_shut_dgram(&ring, emulated);
	recv_waitall_cut(&ring, emulated);
	chained_send_addr(&ring, emulated);
	recvmsg_copied(&ring, emulated);
	send_waitall(&ring, emulated);
	io_uring_queue_exit(&ring);
	overflow(emulated);
	drain();
	closed_ring_fd(emulated);
	across_fork();
	close(fd);
	return 0;
}
