/* Restrictions on a disabled ring (enabled with io_uring_enable_rings)
 * refuse what they do not allow; personalities run requests with saved
 * credentials. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

static void restrictions(void)
{
	struct io_uring ring;
	struct io_uring_restriction res[3];
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	char buf[4];
	int ret, pfd[2];

	ring_init_params(&ring, 8, &p, "IORING_SETUP_R_DISABLED");
	CHECK_EQ(pipe(pfd), 0);

	/* A disabled ring accepts no submissions. */
	sqe_nop(&ring, 1);
	CHECK_EQ(io_uring_submit(&ring), -EBADFD);

	memset(res, 0, sizeof(res));
	res[0].opcode = IORING_RESTRICTION_SQE_OP;
	res[0].sqe_op = IORING_OP_NOP;
	res[1].opcode = IORING_RESTRICTION_REGISTER_OP;
	res[1].register_op = IORING_REGISTER_PROBE;
	res[2].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[2].sqe_flags = IOSQE_IO_LINK;
	ret = io_uring_register_restrictions(&ring, res, 3);
	CHECK_EQ(ret, 0);
	CHECK_EQ(io_uring_register_restrictions(&ring, res, 3), -EBUSY);
	CHECK_EQ(io_uring_enable_rings(&ring), 0);
	/* Enabling is a register opcode the list does not allow either. */
	CHECK_EQ(io_uring_enable_rings(&ring), -EACCES);

	/* The NOP queued while disabled now goes through. */
	CHECK_EQ(submit_reap(&ring, 1), 0);
	/* A READ is not on the list; neither is IOSQE_ASYNC. */
	sqe_op(&ring, IORING_OP_READ, pfd[0], buf, sizeof(buf), 0, 2);
	CHECK_EQ(submit_reap(&ring, 2), -EACCES);
	sqe_nop(&ring, 3)->flags |= IOSQE_ASYNC;
	CHECK_EQ(submit_reap(&ring, 3), -EACCES);
	sqe_nop(&ring, 4)->flags |= IOSQE_IO_LINK;
	CHECK_EQ(submit_reap(&ring, 4), 0);

	/* Register opcodes: PROBE is allowed, eventfd is not. */
	struct io_uring_probe *probe = io_uring_get_probe_ring(&ring);
	CHECK(probe != NULL);
	free(probe);
	CHECK_EQ(io_uring_register_eventfd(&ring, pfd[0]), -EACCES);
	io_uring_queue_exit(&ring);

	/* Restrictions only apply to a ring still disabled. */
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_register_restrictions(&ring, res, 1), -EBADFD);
	CHECK_EQ(io_uring_enable_rings(&ring), -EBADFD);
	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_enable_rings(NULL), -EFAULT);
	close(pfd[0]);
	close(pfd[1]);
}

/* OPENAT of `path` for reading, as personality `id` (0: the caller). */
static int open_as(struct io_uring *ring, const char *path, int id)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, 7);
	int ret;

	sqe->open_flags = O_RDONLY;
	sqe->personality = id;
	ret = submit_reap(ring, 7);
	if (ret >= 0)
		close(ret);
	return ret;
}

static void personality(void)
{
	struct io_uring ring;
	char path[] = "/tmp/reg_access.XXXXXX";
	int fd, id;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	if (geteuid() != 0) {
		/* Still check the id is usable. */
		id = io_uring_register_personality(&ring);
		CHECK(id > 0);
		CHECK_EQ(io_uring_unregister_personality(&ring, id), 0);
		SKIP("personality credentials: needs root to switch euid");
	}

	/* A root-only file; root's credentials are saved as `id`. */
	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_EQ(fchmod(fd, 0600), 0);
	close(fd);
	id = io_uring_register_personality(&ring);
	CHECK(id > 0);
	int id2 = io_uring_register_personality(&ring);
	CHECK(id2 > 0 && id2 != id);

	/* As nobody, the file cannot be opened, except as personality id. */
	CHECK_EQ(seteuid(65534), 0);
	CHECK_EQ(open_as(&ring, path, 0), -EACCES);
	CHECK(open_as(&ring, path, id) >= 0);
	CHECK(open_as(&ring, path, id2) >= 0);
	CHECK_EQ(open_as(&ring, path, id + id2 + 100), -EINVAL);
	CHECK_EQ(seteuid(0), 0);

	CHECK_EQ(io_uring_unregister_personality(&ring, id), 0);
	CHECK_EQ(io_uring_unregister_personality(&ring, id), -EINVAL);
	CHECK_EQ(open_as(&ring, path, id), -EINVAL);
	CHECK(open_as(&ring, path, id2) >= 0);
	CHECK_EQ(io_uring_unregister_personality(&ring, id2), 0);
	unlink(path);
	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_register_personality(&ring), -EBADF);
}

int main(void)
{
	restrictions();
	personality();
	return 0;
}
