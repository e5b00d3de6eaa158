/*
 * A program on a kernel without IORING_REGISTER_PROBE (before 5.6): a
 * seccomp filter in a child process makes io_uring_register(fd,
 * IORING_REGISTER_PROBE, ...) fail with EINVAL, as such a kernel does.
 * The probe calls must then return NULL, and the rest must work: a NOP and
 * a read. ctests/run-old_probe.sh compares the printed steps with Debian's
 * liburing (see old_kernel.h).
 */
#include <fcntl.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "old_kernel.h"

/* The register call's opcode is its second argument; the filter compares its
 * low 32 bits. (It matches the native system call numbers only, enough for a
 * program that makes native calls.) */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG1_LOW (offsetof(struct seccomp_data, args[1]) + 4)
#else
#define ARG1_LOW offsetof(struct seccomp_data, args[1])
#endif

static int block_probe(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG1_LOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IORING_REGISTER_PROBE, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0 ? -errno : 0;
}

/* IORING_REGISTER_PROBE on a raw ring: 0 or -errno. */
static int raw_probe(void)
{
	struct io_uring_params p;
	char buf[sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op)];
	int fd, ret;

	memset(&p, 0, sizeof(p));
	fd = raw_setup(4, &p);
	CHECK(fd >= 0);
	memset(buf, 0, sizeof(buf));
	ret = (int) syscall(__NR_io_uring_register, fd, IORING_REGISTER_PROBE, buf, 256);
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static void without_probe(void)
{
	struct io_uring ring;
	struct io_uring_probe *probe;
	struct io_uring_cqe *cqe = NULL;
	struct io_uring_sqe *sqe;
	char buf[8] = { 0 };
	int fds[2];

	CHECK_EQ(raw_probe(), -EINVAL);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	probe = io_uring_get_probe_ring(&ring);
	printf("get_probe_ring: %s\n", probe ? "a probe" : "NULL");
	CHECK(probe == NULL);
	probe = io_uring_get_probe();
	printf("get_probe: %s\n", probe ? "a probe" : "NULL");
	CHECK(probe == NULL);

	queue_nops(&ring, 1, 1);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->res, 0);
	show(&ring, "nop", 0, cqe);

	CHECK_EQ(pipe(fds), 0);
	CHECK_EQ(write(fds[1], "hello", 5), 5);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf) - 1, 0);
	io_uring_sqe_set_data64(sqe, 2);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->res, 5);
	printf("read: \"%s\"\n", buf);
	CHECK(strcmp(buf, "hello") == 0);
	show(&ring, "read", 0, cqe);
	close(fds[0]);
	close(fds[1]);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	int status, ret;
	pid_t pid;

	kernel_features();
	ret = raw_probe();
	if (ret != 0)
		printf("the kernel has no IORING_REGISTER_PROBE (%s): blocking it changes nothing\n", strerror(-ret));
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		ret = block_probe();
		if (ret != 0)
			SKIP("no seccomp filter: %s", strerror(-ret));
		without_probe();
		fflush(stdout);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}
