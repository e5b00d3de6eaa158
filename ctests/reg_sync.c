/* Synchronous register-time operations, on kernel and emulated rings:
 * io_uring_register_sync_cancel cancels pending reads on a pipe (by
 * user_data, fd or opcode) and has finished when it returns;
 * io_uring_register_sync_msg posts a CQE to another ring with no ring of
 * its own. */
#include <liburing/rs.h>
#include <poll.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

static int pfd[2];
static char sink[4];

static void pending_read(struct io_uring *ring, __u64 user_data)
{
	sqe_op(ring, IORING_OP_READ, pfd[0], sink, 1, 0, user_data);
	CHECK_EQ(io_uring_submit(ring), 1);
}

static int cancel(struct io_uring *ring, __u64 user_data, int fd, unsigned flags, int opcode)
{
	struct io_uring_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.addr = user_data;
	reg.fd = fd;
	reg.flags = flags;
	reg.opcode = opcode;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	return io_uring_register_sync_cancel(ring, &reg);
}

/* The next CQE: a cancelled read with tag `user_data`. */
static void reap_cancelled(struct io_uring *ring, __u64 user_data)
{
	struct io_uring_cqe cqe = reap_ms(ring, 0);

	CHECK_EQ(cqe.user_data, user_data);
	CHECK_EQ(cqe.res, -ECANCELED);
}

static void sync_cancel(void)
{
	struct io_uring ring;
	int ret, emulated;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	emulated = io_uring_rs_is_emulated(&ring);
	pending_read(&ring, 42);
	CHECK(no_cqe_within(&ring, 10));
	/* Raw on an idle raw ring, the kernel that has it finds nothing (the
	 * engine has it whatever the kernel). */
	if (!emulated && !kernel_sync_cancel())
		SKIP_LACKS("IORING_REGISTER_SYNC_CANCEL");
	ret = cancel(&ring, 42, -1, 0, 0);
	CHECK_EQ(ret, 0);
	/* Done on return: the CQE is already there. */
	CHECK_EQ(io_uring_cq_ready(&ring), 1);
	reap_cancelled(&ring, 42);
	CHECK_EQ(cancel(&ring, 42, -1, 0, 0), -ENOENT);

	/* By fd, all of them. */
	pending_read(&ring, 1);
	pending_read(&ring, 2);
	/* With CANCEL_ALL the kernel counts what it cancelled. */
	ret = cancel(&ring, 0, pfd[0], IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL, 0);
	CHECK_EQ(ret, 2);
	CHECK_EQ(io_uring_cq_ready(&ring), 2);
	/* In either order (kernels differ). */
	struct io_uring_cqe one = reap_ms(&ring, 0), two = reap_ms(&ring, 0);
	CHECK(one.res == -ECANCELED && two.res == -ECANCELED);
	CHECK_EQ(one.user_data + two.user_data, 3);
	CHECK(one.user_data == 1 || one.user_data == 2);

	/* By opcode: a READ goes, a pending POLL_ADD on the same pipe stays
	 * (where a raw sync cancel by opcode on an idle ring finds nothing). */
	struct io_uring_sync_cancel_reg by_op = { .fd = -1, .flags = IORING_ASYNC_CANCEL_OP,
						  .opcode = IORING_OP_READ, .timeout = { -1, -1 } };
	if (!emulated && kernel_register(0, IORING_REGISTER_SYNC_CANCEL, &by_op, 1) != -ENOENT) {
		lacks_case("IORING_ASYNC_CANCEL_OP");
		goto null_arg;
	}
	pending_read(&ring, 3);
	/* The preparer: the kernel reads the mask with its halves swapped on
	 * big endian (s390x). */
	struct io_uring_sqe *poll = io_uring_get_sqe(&ring);
	io_uring_prep_poll_add(poll, pfd[0], POLLIN);
	io_uring_sqe_set_data64(poll, 4);
	CHECK_EQ(io_uring_submit(&ring), 1);
	CHECK(cancel(&ring, 0, -1, IORING_ASYNC_CANCEL_OP, IORING_OP_READ) >= 0);
	reap_cancelled(&ring, 3);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(write(pfd[1], "p", 1), 1);
	struct io_uring_cqe cqe = reap(&ring);
	CHECK_EQ(cqe.user_data, 4);
	CHECK(cqe.res & POLLIN);

null_arg:
	/* Whatever the kernel makes of a NULL argument comes back as is. */
	ret = io_uring_register_sync_cancel(&ring, NULL);
	CHECK(ret < 0);
	CHECK_EQ(ret, io_uring_register(ring.ring_fd, IORING_REGISTER_SYNC_CANCEL, NULL, 1));
	CHECK_EQ(io_uring_register_sync_cancel(NULL, NULL), -EFAULT);
	io_uring_queue_exit(&ring);
}

static void msg_sqe(struct io_uring_sqe *sqe, int fd, unsigned res, __u64 user_data)
{
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_MSG_RING;
	sqe->fd = fd;
	sqe->addr = IORING_MSG_DATA;
	sqe->len = res;
	sqe->off = user_data;
}

static void sync_msg(void)
{
	struct io_uring target;
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;
	int ret, kernel_has = 0;

	CHECK_EQ(io_uring_queue_init(8, &target, 0), 0);
	/* Sent raw first to a throwaway raw ring (the engine posts into an
	 * emulated ring whatever the kernel has). */
	struct io_uring_params p = { 0 };
	int raw = raw_setup(1, &p);
	if (raw >= 0) {
		msg_sqe(&sqe, raw, 1, 1);
		kernel_has = raw_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1) == 0;
		close(raw);
	}
	if (!kernel_has && !io_uring_rs_is_emulated(&target))
		SKIP_LACKS("IORING_REGISTER_SEND_MSG_RING");
	msg_sqe(&sqe, target.ring_fd, 0x1234, 0xfeedf00d);
	ret = io_uring_register_sync_msg(&sqe);
	CHECK_EQ(ret, 0);
	CHECK_EQ(io_uring_cq_ready(&target), 1);
	cqe = reap(&target);
	CHECK_EQ(cqe.user_data, 0xfeedf00d);
	CHECK_EQ(cqe.res, 0x1234);
	CHECK_EQ(cqe.flags, 0);

	/* CQE flags passed through. */
	msg_sqe(&sqe, target.ring_fd, 7, 8);
	sqe.msg_ring_flags = IORING_MSG_RING_FLAGS_PASS;
	sqe.file_index = 0x40;
	CHECK_EQ(io_uring_register_sync_msg(&sqe), 0);
	cqe = reap(&target);
	CHECK_EQ(cqe.user_data, 8);
	CHECK_EQ(cqe.res, 7);
	CHECK_EQ(cqe.flags, 0x40);

	/* Not a ring (the kernel's to say); not a data message. */
	msg_sqe(&sqe, pfd[0], 1, 1);
	if (kernel_has)
		CHECK_EQ(io_uring_register_sync_msg(&sqe), -EBADFD);
	msg_sqe(&sqe, target.ring_fd, 1, 1);
	sqe.addr = IORING_MSG_SEND_FD;
	CHECK_EQ(io_uring_register_sync_msg(&sqe), -EINVAL);
	/* Only a MSG_RING SQE, without SQE flags. */
	msg_sqe(&sqe, target.ring_fd, 1, 1);
	sqe.flags = IOSQE_ASYNC;
	CHECK_EQ(io_uring_register_sync_msg(&sqe), -EINVAL);
	msg_sqe(&sqe, target.ring_fd, 1, 1);
	sqe.opcode = IORING_OP_NOP;
	CHECK_EQ(io_uring_register_sync_msg(&sqe), -EINVAL);
	CHECK(no_cqe_within(&target, 10));
	io_uring_queue_exit(&target);

	/* A ring set up disabled takes nothing until it is enabled. */
	CHECK_EQ(io_uring_queue_init(8, &target, IORING_SETUP_R_DISABLED), 0);
	msg_sqe(&sqe, target.ring_fd, 5, 6);
	CHECK_EQ(io_uring_register_sync_msg(&sqe), -EBADFD);
	CHECK_EQ(io_uring_enable_rings(&target), 0);
	CHECK_EQ(io_uring_register_sync_msg(&sqe), 0);
	cqe = reap(&target);
	CHECK_EQ(cqe.user_data, 6);
	CHECK_EQ(cqe.res, 5);
	io_uring_queue_exit(&target);
}

int main(void)
{
	CHECK_EQ(pipe(pfd), 0);
	sync_cancel();
	sync_msg();
	return 0;
}
