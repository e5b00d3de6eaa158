/* URING_RS_TRACE and URING_RS_STATS on a fixed sequence: the exact decoded
 * SQE and CQE lines, the statistics summary, and io_uring_rs_get_stats.
 * The variables are read at the first ring set-up, so they are set here
 * before it. */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <liburing.h>
#include <liburing/rs.h>
#include "harness.h"
#include "kernel.h"

static char trace_path[] = "/tmp/uring-rs-trace-XXXXXX";
static struct io_uring ring;
static char expected[64][256];
static int n_expected;

#define EXPECT(...) snprintf(expected[n_expected++], sizeof(expected[0]), __VA_ARGS__)

static void run_one(__u64 tag)
{
	struct io_uring_cqe *cqe;
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, tag);
	io_uring_cqe_seen(&ring, cqe);
}

int main(void)
{
	static char wbuf[4096], rbuf[4096], bufs[4][64];
	struct __kernel_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int pipefd[2], sv[2], r, ret;
	char tmpl[] = "/tmp/uring-rs-trace-data-XXXXXX";

	NEED_PBUF_RING();
	NEED_RECV_MULTISHOT();
	int tfd = mkstemp(trace_path);
	CHECK(tfd >= 0);
	close(tfd);
	setenv("URING_RS_TRACE", trace_path, 1);
	setenv("URING_RS_STATS", "1", 1);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	r = ring.ring_fd;
	int fd = mkstemp(tmpl);
	CHECK(fd >= 0);
	unlink(tmpl);
	CHECK_EQ(pipe(pipefd), 0);
	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 1);
	EXPECT("[ring %d] sqe nop fd=-1 off=0 len=0 addr=0x0 flags=0 user_data=0x1", r);
	run_one(1);
	EXPECT("[ring %d] cqe user_data=0x1 res=0 flags=0", r);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, wbuf, sizeof(wbuf), 0);
	io_uring_sqe_set_data64(sqe, 2);
	EXPECT("[ring %d] sqe write fd=%d off=0 len=4096 buf=%p rw_flags=0 flags=0 user_data=0x2", r, fd, (void *) wbuf);
	run_one(2);
	EXPECT("[ring %d] cqe user_data=0x2 res=4096 flags=0", r);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, rbuf, sizeof(rbuf), 0);
	io_uring_sqe_set_data64(sqe, 3);
	EXPECT("[ring %d] sqe read fd=%d off=0 len=4096 buf=%p rw_flags=0 flags=0 user_data=0x3", r, fd, (void *) rbuf);
	run_one(3);
	EXPECT("[ring %d] cqe user_data=0x3 res=4096 flags=0", r);

	static const char missing[] = "/nonexistent/uring-rs";
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_openat(sqe, AT_FDCWD, missing, O_RDONLY, 0);
	io_uring_sqe_set_data64(sqe, 4);
	EXPECT("[ring %d] sqe openat fd=-100 off=0 len=0 addr=%p flags=0 user_data=0x4", r, (void *) missing);
	run_one(4);
	EXPECT("[ring %d] cqe user_data=0x4 res=-2 (ENOENT) flags=0", r);

	/* A read of an empty pipe, cut off by a linked 10 ms timeout. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, pipefd[0], rbuf, 16, -1);
	io_uring_sqe_set_data64(sqe, 5);
	sqe->flags |= IOSQE_IO_LINK;
	EXPECT("[ring %d] sqe read fd=%d off=18446744073709551615 len=16 buf=%p rw_flags=0 flags=IO_LINK user_data=0x5",
	       r, pipefd[0], (void *) rbuf);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_link_timeout(sqe, &ts, 0);
	io_uring_sqe_set_data64(sqe, 6);
	EXPECT("[ring %d] sqe link_timeout fd=-1 off=0 len=1 addr=%p timeout_flags=0 flags=0 user_data=0x6", r, (void *) &ts);
	CHECK_EQ(io_uring_submit(&ring), 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		if (cqe->user_data == 5) {
			CHECK_EQ(cqe->res, -ECANCELED);
			EXPECT("[ring %d] cqe user_data=0x5 res=-125 (ECANCELED) flags=0", r);
		} else {
			CHECK_EQ(cqe->user_data, 6);
			CHECK_EQ(cqe->res, -ETIME);
			EXPECT("[ring %d] cqe user_data=0x6 res=-62 (ETIME) flags=0", r);
		}
		io_uring_cqe_seen(&ring, cqe);
	}

	/* Multishot receive into a provided buffer ring (group 1). */
	struct io_uring_buf_ring *br = io_uring_setup_buf_ring(&ring, 4, 1, 0, &ret);
	CHECK(br);
	for (int i = 0; i < 4; i++)
		io_uring_buf_ring_add(br, bufs[i], sizeof(bufs[i]), i, io_uring_buf_ring_mask(4), i);
	io_uring_buf_ring_advance(br, 4);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv_multishot(sqe, sv[0], NULL, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	io_uring_sqe_set_data64(sqe, 7);
	EXPECT("[ring %d] sqe recv fd=%d off=0 len=0 buf=0x0 ioprio=MULTISHOT flags=BUFFER_SELECT buf_group=1 user_data=0x7",
	       r, sv[0]);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK_EQ(write(sv[1], "hello", 5), 5);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->res, 5);
	CHECK(cqe->flags & IORING_CQE_F_MORE);
	EXPECT("[ring %d] cqe user_data=0x7 res=5 flags=F_BUFFER|F_MORE bid=0", r);
	io_uring_cqe_seen(&ring, cqe);

	/* The counters, through the C API. */
	struct io_uring_rs_stats st;
	CHECK_EQ(io_uring_rs_get_stats(&ring, &st, sizeof(st)), 0);
	CHECK_EQ(st.sqes, 7);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_NOP], 1);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_READ], 2);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_WRITE], 1);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_OPENAT], 1);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_LINK_TIMEOUT], 1);
	CHECK_EQ(st.sqes_by_opcode[IORING_OP_RECV], 1);
	CHECK_EQ(st.submitted, 7);
	CHECK_EQ(st.max_batch, 2);
	CHECK_EQ(st.cqes_ok, 4);
	CHECK_EQ(st.cqes_err, 3);
	CHECK_EQ(st.cqes_by_errno[ENOENT], 1);
	CHECK_EQ(st.cqes_by_errno[ECANCELED], 1);
	CHECK_EQ(st.cqes_by_errno[ETIME], 1);
	CHECK_EQ(st.cqes_inline, 0);
	/* A short size copies only that much. */
	struct io_uring_rs_stats part;
	memset(&part, 0xff, sizeof(part));
	CHECK_EQ(io_uring_rs_get_stats(&ring, &part, sizeof(__u64)), 0);
	CHECK_EQ(part.sqes, 7);
	CHECK_EQ(part.enters, (__u64) -1);
	CHECK_EQ(io_uring_rs_get_stats(NULL, &st, sizeof(st)), -EFAULT);

	shutdown(sv[1], SHUT_RDWR);
	io_uring_queue_exit(&ring);

	/* Now the file: exactly the expected lines, then the summary. */
	FILE *f = fopen(trace_path, "r");
	char line[512];
	int i = 0;
	CHECK(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (i < n_expected) {
			if (strcmp(line, expected[i]))
				FAIL("trace line %d:\n  got      %s\n  expected %s", i + 1, line, expected[i]);
		} else if (i == n_expected) {
			char want[128];
			snprintf(want, sizeof(want), "[ring %d] stats: sqes=7 nop=1 link_timeout=1 openat=1 read=2 write=1 recv=1", r);
			if (strcmp(line, want))
				FAIL("summary:\n  got      %s\n  expected %s", line, want);
		} else if (strncmp(line, "[ring ", 6)) {
			FAIL("unexpected trace line: %s", line);
		}
		i++;
	}
	fclose(f);
	unlink(trace_path);
	CHECK_EQ(i, n_expected + 3);
	return 0;
}
