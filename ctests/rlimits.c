/* Resource limits: with no fd left, setup fails cleanly with -EMFILE and
 * leaks nothing; a file table above the soft RLIMIT_NOFILE raises it to
 * what the table needs, within the hard limit, and changes nothing when
 * that cannot help; a zero RLIMIT_MEMLOCK does not matter on kernels that
 * charge rings to the cgroup; and where io_uring is refused (here by a
 * seccomp filter, as a locked-down container does) the kernel's error comes
 * back unchanged. */
#include <dirent.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void no_fds_left(void)
{
	struct rlimit old, none;
	struct io_uring ring;
	int fds = count_fds(), maps = count_lines("/proc/self/maps");

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* The highest fd in use is below fds + 8; allow no new one. */
	none.rlim_cur = 3;
	none.rlim_max = old.rlim_max;
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
	int ret = io_uring_queue_init(8, &ring, 0);
	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
	CHECK_EQ(ret, -EMFILE);
	CHECK_EQ(count_fds(), fds);
	CHECK_EQ(count_lines("/proc/self/maps"), maps);
	/* The failed ring is inert: exit and submit do nothing harmful. */
	io_uring_queue_exit(&ring);
	CHECK_EQ(io_uring_submit(&ring), -EBADF);
}

static void zero_memlock(void)
{
	struct rlimit zero = { 0, 0 }, old;
	struct io_uring ring;

	CHECK_EQ(getrlimit(RLIMIT_MEMLOCK, &old), 0);
	pid_t pid = fork();
	if (pid == 0) {
		/* In a child: a hard limit of zero cannot be raised again. */
		if (setrlimit(RLIMIT_MEMLOCK, &zero))
			_exit(2);
		int ret = io_uring_queue_init(64, &ring, 0);
		if (ret == 0)
			io_uring_queue_exit(&ring);
		_exit(ret == 0 && io_uring_mlock_size(64, 0) == 0 ? 0 : 1);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

static void refused_by_seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };
	struct io_uring ring;

	pid_t pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			_exit(2);
		int ret = io_uring_queue_init(8, &ring, 0);
		_exit(ret == -EPERM && io_uring_get_probe() == NULL ? 0 : 1);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	if (WEXITSTATUS(status) == 2)
		SKIP("cannot install a seccomp filter here");
	CHECK_EQ(WEXITSTATUS(status), 0);
}

static rlim_t soft_nofile(void)
{
	struct rlimit rl;

	CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
	return rl.rlim_cur;
}

static void set_nofile(rlim_t cur, rlim_t max)
{
	struct rlimit rl = { cur, max };

	CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

enum table_kind { SPARSE, PLAIN, TAGGED };

static int register_table(struct io_uring *ring, enum table_kind kind, const int *fds, unsigned nr)
{
	switch (kind) {
	case SPARSE:
		return io_uring_register_files_sparse(ring, nr);
	case PLAIN:
		return io_uring_register_files(ring, fds, nr);
	default:
		return io_uring_register_files_tags(ring, fds, NULL, nr);
	}
}

/* In a child, as it lowers the hard limit for good. Soft 64: a table of 80
 * needs the soft limit raised to 80 plus the fds open, which fits under a
 * hard limit of 96 and is cut to 82 under a hard limit of 82; under a hard
 * limit of 70 it cannot fit, and nothing changes. */
static void nofile_child(void)
{
	struct io_uring ring;
	int fds[80];

	for (int i = 0; i < 80; i++)
		fds[i] = -1;
	set_nofile(64, 96);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	/* count_fds() counts its own directory fd too. */
	rlim_t open_now = count_fds() - 1;

	/* Sparse tables (5.19) and tagged ones (5.13), where the kernel has them. */
	struct io_uring_rsrc_register one = { .nr = 1, .data = (__u64) (uintptr_t) &(int) { 0 } };
	bool have[] = {
		[SPARSE] = HAVE_SPARSE(IORING_REGISTER_FILES2),
		[PLAIN] = true,
		[TAGGED] = have_register(0, IORING_REGISTER_FILES2, &one, sizeof(one), "IORING_REGISTER_FILES2"),
	};

	for (enum table_kind kind = SPARSE; kind <= TAGGED; kind++) {
		if (!have[kind])
			continue;
		set_nofile(64, 96);
		CHECK_EQ(register_table(&ring, kind, fds, 80), 0);
		CHECK_EQ(soft_nofile(), open_now + 80 < 96 ? open_now + 80 : 96);
		CHECK_EQ(io_uring_unregister_files(&ring), 0);
	}
	set_nofile(64, 82);
	CHECK_EQ(register_table(&ring, PLAIN, fds, 80), 0);
	CHECK_EQ(soft_nofile(), 82);
	CHECK_EQ(io_uring_unregister_files(&ring), 0);

	/* A retry that fails for another reason (an fd that is not open)
	 * puts the soft limit back. */
	set_nofile(64, 82);
	fds[0] = 1000;
	CHECK_EQ(register_table(&ring, PLAIN, fds, 80), -EBADF);
	CHECK_EQ(soft_nofile(), 64);

	set_nofile(64, 70);
	CHECK_EQ(register_table(&ring, PLAIN, fds, 80), -EMFILE);
	CHECK_EQ(soft_nofile(), 64);
	io_uring_queue_exit(&ring);
	exit(0);
}

static void nofile_raised_within_hard_limit(void)
{
	pid_t pid = fork();
	if (pid == 0)
		nofile_child();
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

int main(void)
{
	no_fds_left();
	/* valgrind keeps its own view of RLIMIT_NOFILE (it reserves fds
	 * above the limit), so the limit arithmetic only holds natively. */
	if (!getenv("CTEST_VALGRIND"))
		nofile_raised_within_hard_limit();
	zero_memlock();
	refused_by_seccomp();
	return 0;
}
