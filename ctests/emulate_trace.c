/* URING_RS_TRACE and URING_RS_STATS on an emulated ring: the trace says
 * the engine serves it, decodes its SQEs and CQEs as on a kernel ring, and
 * the statistics count them. URING_RS_EMULATE is read at the first ring
 * set-up, so it is set here before it. */
#include <liburing.h>
#include <liburing/rs.h>
#include <unistd.h>
#include "harness.h"

static char path[] = "/tmp/uring-rs-emutrace-XXXXXX";

int main(void)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring_rs_stats stats;
	char text[4096];
	int fd = mkstemp(path);
	ssize_t n;

	CHECK(fd >= 0);
	setenv("URING_RS_EMULATE", "always", 1);
	setenv("URING_RS_TRACE", path, 1);
	setenv("URING_RS_STATS", "1", 1);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 7);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 7);
	io_uring_cqe_seen(&ring, cqe);
	CHECK_EQ(io_uring_rs_get_stats(&ring, &stats, sizeof(stats)), 0);
	CHECK_EQ(stats.sqes, 1);
	CHECK_EQ(stats.submitted, 1);
	io_uring_queue_exit(&ring);

	n = pread(fd, text, sizeof(text) - 1, 0);
	CHECK(n > 0);
	text[n] = 0;
	CHECK(strstr(text, "] note: emulated by the userspace engine (URING_RS_EMULATE)\n") != NULL);
	CHECK(strstr(text, "] sqe nop fd=-1 off=0 len=0 addr=0x0 flags=0 user_data=0x7\n") != NULL);
	CHECK(strstr(text, "] cqe user_data=0x7 res=0 flags=0\n") != NULL);
	CHECK(strstr(text, "] stats: sqes=1 nop=1\n") != NULL);
	unlink(path);
	return 0;
}
