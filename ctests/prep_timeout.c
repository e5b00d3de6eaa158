/* Timeouts, linked timeouts and cancellation: firing (-ETIME), being
 * satisfied by a completion count, removed and updated, and cancelling
 * requests by user_data, pointer, fd (the file), fd and user_data, and
 * opcode (-ECANCELED). */
#include <liburing/rs.h>
#include <poll.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;
static int pipe_fds[2];

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static struct __kernel_timespec ms(long long n)
{
	struct __kernel_timespec ts = { .tv_sec = n / 1000, .tv_nsec = (n % 1000) * 1000000 };

	return ts;
}

/* Waits for `n` CQEs and stores each one's res by its user_data (< 16). */
static void collect(int n, int res[16])
{
	for (int i = 0; i < n; i++) {
		struct io_uring_cqe cqe = next_cqe(&ring);

		CHECK(cqe.user_data < 16);
		res[cqe.user_data] = cqe.res;
	}
}

static struct io_uring_sqe *tagged(__u64 data)
{
	struct io_uring_sqe *sqe = sqe_of(&ring);

	io_uring_sqe_set_data64(sqe, data);
	return sqe;
}

/* A read that blocks: the pipe stays empty. */
static struct io_uring_sqe *stuck_read(__u64 data, unsigned flags)
{
	static char buf[8];
	struct io_uring_sqe *sqe = tagged(data);

	io_uring_prep_read(sqe, pipe_fds[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_flags(sqe, flags);
	return sqe;
}

/* Submits a cancel tagged `data` of what waits on the pipe with user_data
 * `user_data` (ASYNC_CANCEL_FD with USERDATA). */
static void cancel_fd_user_data(__u64 data, __u64 user_data)
{
	struct io_uring_sqe *sqe = tagged(data);

	io_uring_prep_cancel_fd(sqe, pipe_fds[0], IORING_ASYNC_CANCEL_USERDATA);
	sqe->addr = user_data;
	submit_n(&ring, 1);
}

/* Cancelling by fd finds the file, not the number: a dup of the fd finds
 * the read. An fd that is not open is -EBADF; ANY beside FD is -EINVAL. */
static void cancel_fd_file(void)
{
	int res[16], dup_fd = dup(pipe_fds[0]);

	CHECK(dup_fd >= 0);
	stuck_read(1, 0);
	submit_n(&ring, 1);
	io_uring_prep_cancel_fd(tagged(2), dup_fd, 0);
	submit_n(&ring, 1);
	res[1] = res[2] = 1;
	collect(2, res);
	CHECK_EQ(res[2], 0);
	CHECK_EQ(res[1], -ECANCELED);
	CHECK_EQ(close(dup_fd), 0);
	io_uring_prep_cancel_fd(tagged(3), dup_fd, 0);
	submit_n(&ring, 1);
	io_uring_prep_cancel_fd(tagged(4), pipe_fds[0], IORING_ASYNC_CANCEL_ANY);
	submit_n(&ring, 1);
	collect(2, res);
	CHECK_EQ(res[3], -EBADF);
	CHECK_EQ(res[4], -EINVAL);
}

static void plain_timeouts(void)
{
	struct __kernel_timespec ts = ms(20), long_ts = ms(10000);
	struct timespec abs_now;
	int res[16];
	long long t0 = now_ms();

	io_uring_prep_timeout(tagged(1), &ts, 0, 0);
	submit_n(&ring, 1);
	collect(1, res);
	CHECK_EQ(res[1], -ETIME);
	CHECK(now_ms() - t0 >= 19);

	/* Satisfied by two other completions long before the time. */
	t0 = now_ms();
	io_uring_prep_timeout(tagged(2), &long_ts, 2, 0);
	io_uring_prep_nop(tagged(3));
	io_uring_prep_nop(tagged(4));
	submit_n(&ring, 3);
	collect(3, res);
	CHECK_EQ(res[2], 0);
	CHECK(now_ms() - t0 < 5000);

	/* IORING_TIMEOUT_ABS: an absolute CLOCK_MONOTONIC deadline. */
	clock_gettime(CLOCK_MONOTONIC, &abs_now);
	ts.tv_sec = abs_now.tv_sec;
	ts.tv_nsec = abs_now.tv_nsec + 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	t0 = now_ms();
	io_uring_prep_timeout(tagged(5), &ts, 0, IORING_TIMEOUT_ABS);
	submit_n(&ring, 1);
	collect(1, res);
	CHECK_EQ(res[5], -ETIME);
	CHECK(now_ms() - t0 < 5000);
}

static void remove_update(void)
{
	struct __kernel_timespec long_ts = ms(10000), short_ts = ms(20);
	int res[16];
	long long t0;

	io_uring_prep_timeout(tagged(1), &long_ts, 0, 0);
	io_uring_prep_timeout_remove(tagged(2), 1, 0);
	submit_n(&ring, 2);
	collect(2, res);
	CHECK_EQ(res[1], -ECANCELED);
	CHECK_EQ(res[2], 0);
	io_uring_prep_timeout_remove(tagged(3), 1, 0);
	submit_n(&ring, 1);
	collect(1, res);
	CHECK_EQ(res[3], -ENOENT);

	if (!kernel_timeout_update(0) && !lacks_case("IORING_TIMEOUT_UPDATE"))
		return;
	/* The update shortens a 10 s timeout to 20 ms. */
	t0 = now_ms();
	io_uring_prep_timeout(tagged(4), &long_ts, 0, 0);
	submit_n(&ring, 1);
	io_uring_prep_timeout_update(tagged(5), &short_ts, 4, 0);
	submit_n(&ring, 1);
	collect(2, res);
	CHECK_EQ(res[5], 0);
	CHECK_EQ(res[4], -ETIME);
	CHECK(now_ms() - t0 < 5000);
}

static void linked(void)
{
	struct __kernel_timespec short_ts = ms(20), long_ts = ms(10000);
	struct io_uring_sqe *sqe;
	int res[16];
	long long t0 = now_ms();

	/* Fires: the stuck read is cancelled. */
	stuck_read(1, IOSQE_IO_LINK);
	io_uring_prep_link_timeout(tagged(2), &short_ts, 0);
	submit_n(&ring, 2);
	collect(2, res);
	CHECK_EQ(res[1], -ECANCELED);
	CHECK_EQ(res[2], -ETIME);
	CHECK(now_ms() - t0 < 5000);

	/* Does not fire: the request finished first. */
	sqe = tagged(3);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
	io_uring_prep_link_timeout(tagged(4), &long_ts, 0);
	submit_n(&ring, 2);
	collect(2, res);
	CHECK_EQ(res[3], 0);
	CHECK_EQ(res[4], -ECANCELED);

	if (!kernel_timeout_update(IORING_LINK_TIMEOUT_UPDATE) && !lacks_case("IORING_LINK_TIMEOUT_UPDATE"))
		return;
	/* IORING_LINK_TIMEOUT_UPDATE shortens an armed linked timeout. */
	t0 = now_ms();
	stuck_read(5, IOSQE_IO_LINK);
	io_uring_prep_link_timeout(tagged(6), &long_ts, 0);
	submit_n(&ring, 2);
	io_uring_prep_timeout_update(tagged(7), &short_ts, 6, IORING_LINK_TIMEOUT_UPDATE);
	submit_n(&ring, 1);
	collect(3, res);
	CHECK_EQ(res[7], 0);
	CHECK_EQ(res[5], -ECANCELED);
	CHECK_EQ(res[6], -ETIME);
	CHECK(now_ms() - t0 < 5000);
}

static void cancel(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int res[16], marker;

	stuck_read(1, 0);
	io_uring_prep_cancel64(tagged(2), 1, 0);
	submit_n(&ring, 2);
	collect(2, res);
	CHECK_EQ(res[1], -ECANCELED);
	CHECK_EQ(res[2], 0);
	io_uring_prep_cancel64(tagged(3), 1, 0);
	submit_n(&ring, 1);
	collect(1, res);
	CHECK_EQ(res[3], -ENOENT);

	/* By pointer: the user_data set with io_uring_sqe_set_data. */
	sqe = stuck_read(4, 0);
	io_uring_sqe_set_data(sqe, &marker);
	io_uring_prep_cancel(tagged(5), &marker, 0);
	submit_n(&ring, 2);
	for (int i = 0; i < 2; i++) {
		cqe = next_cqe(&ring);
		if (cqe.user_data == 5) {
			CHECK_EQ(cqe.res, 0);
		} else {
			CHECK(io_uring_cqe_get_data(&cqe) == &marker);
			CHECK_EQ(cqe.res, -ECANCELED);
		}
	}

	if (!kernel_cancel_fd() && !lacks_case("IORING_ASYNC_CANCEL_FD"))
		return;
	/* By fd: without flags the first match, with ALL every one. */
	stuck_read(6, 0);
	stuck_read(7, 0);
	submit_n(&ring, 2);
	io_uring_prep_cancel_fd(tagged(8), pipe_fds[0], 0);
	submit_n(&ring, 1);
	res[6] = res[7] = 1;
	collect(2, res);
	CHECK_EQ(res[8], 0);
	CHECK((res[6] == -ECANCELED) + (res[7] == -ECANCELED) == 1);
	stuck_read(9, 0);
	submit_n(&ring, 1);
	io_uring_prep_cancel_fd(tagged(10), pipe_fds[0], IORING_ASYNC_CANCEL_ALL);
	submit_n(&ring, 1);
	collect(3, res);
	CHECK_EQ(res[10], 2);
	CHECK_EQ(res[9], -ECANCELED);
	CHECK((res[6] == -ECANCELED) + (res[7] == -ECANCELED) == 2);
	cancel_fd_file();

	if (!io_uring_rs_is_emulated(&ring) && !kernel_cancel_fd_with(IORING_ASYNC_CANCEL_USERDATA) &&
	    !lacks_case("IORING_ASYNC_CANCEL_USERDATA"))
		return;
	/* By fd and user_data: only a request that has both. None has yet
	 * (Debian's 6.1 takes the flag but finds a read waiting for its pipe
	 * by fd alone, and cancels it). */
	stuck_read(11, 0);
	submit_n(&ring, 1);
	cancel_fd_user_data(14, 12);
	res[11] = res[14] = 1;
	collect(1, res);
	if (res[14] != -ENOENT) {
		/* The other CQE of the two, whichever came first. */
		collect(1, res);
		CHECK_EQ(res[14], 0);
		CHECK_EQ(res[11], -ECANCELED);
		CHECK(!io_uring_rs_is_emulated(&ring));
		lacks_case("IORING_ASYNC_CANCEL_USERDATA for a read waiting on a pipe");
		return;
	}
	CHECK_EQ(res[14], -ENOENT);
	stuck_read(12, 0);
	stuck_read(13, 0);
	submit_n(&ring, 2);
	cancel_fd_user_data(14, 12);
	res[11] = res[12] = res[13] = 1;
	collect(2, res);
	CHECK_EQ(res[14], 0);
	CHECK_EQ(res[12], -ECANCELED);
	io_uring_prep_cancel_fd(tagged(15), pipe_fds[0], IORING_ASYNC_CANCEL_ALL);
	submit_n(&ring, 1);
	collect(3, res);
	CHECK_EQ(res[15], 2);
	CHECK(res[11] == -ECANCELED && res[13] == -ECANCELED);

	/* By opcode, which the SQE's len holds: the read goes, a poll on the
	 * same pipe stays. */
	stuck_read(1, 0);
	io_uring_prep_poll_add(tagged(2), pipe_fds[0], POLLIN);
	submit_n(&ring, 2);
	sqe = tagged(3);
	io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_OP);
	sqe->len = IORING_OP_READ;
	submit_n(&ring, 1);
	res[1] = res[2] = res[3] = 1;
	collect(2, res);
	CHECK_EQ(res[3], 0);
	CHECK_EQ(res[1], -ECANCELED);
	io_uring_prep_cancel_fd(tagged(4), pipe_fds[0], IORING_ASYNC_CANCEL_ALL);
	submit_n(&ring, 1);
	collect(2, res);
	CHECK_EQ(res[4], 1);
	CHECK_EQ(res[2], -ECANCELED);
}

int main(void)
{
	RING_INIT(&ring, 16, 0);
	NEED_OP(IORING_OP_LINK_TIMEOUT);
	CHECK_EQ(pipe(pipe_fds), 0);

	plain_timeouts();
	remove_update();
	linked();
	cancel();

	io_uring_queue_exit(&ring);
	return 0;
}
