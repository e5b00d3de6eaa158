/* build/no-io-uring (tools/no-io-uring.c) refuses io_uring as Docker's
 * default seccomp profile does. This test runs itself under it, with
 * --refused ERRNO: there the raw io_uring_setup, io_uring_enter and
 * io_uring_register (and x32's io_uring_setup on x86-64) must fail with that
 * errno, and the library's io_uring_queue_init must return it negated while
 * URING_RS_EMULATE is unset or "never". The same child run without the
 * launcher (--refused none) must get a working ring, so the refusals come
 * from the launcher alone. Then the launcher's own exit statuses. */
#include <errno.h>
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>
#include "harness.h"
#include "kernel.h"

#ifndef NO_IO_URING
#error "build with -DNO_IO_URING='\"path of no-io-uring\"' (the Makefile does)"
#endif

static const struct {
	const char *name;
	int err;
} errnos[] = { { "none", 0 }, { "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES } };

/* In the child: err == 0, io_uring works; else every call fails with err. */
static int child(int err)
{
	struct io_uring_params p = { 0 };
	struct io_uring_probe *probe = calloc(1, sizeof(*probe) + 256 * sizeof(probe->ops[0]));
	struct io_uring ring;
	int fd = raw_setup(4, &p);

	CHECK(probe != NULL);
	if (!err) {
		CHECK(fd >= 0);
		CHECK_EQ(raw_enter(fd, 0, 0, 0, NULL, 0), 0);
		CHECK_EQ(raw_register(fd, IORING_REGISTER_PROBE, probe, 256), 0);
		CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
		io_uring_queue_exit(&ring);
		close(fd);
	} else {
		CHECK_EQ(fd, -err);
		CHECK_EQ(raw_enter(-1, 0, 0, 0, NULL, 0), -err);
		CHECK_EQ(raw_register(-1, IORING_REGISTER_PROBE, probe, 256), -err);
#ifdef __x86_64__
		CHECK_EQ(syscall(__X32_SYSCALL_BIT | __NR_io_uring_setup, 4, &p) < 0 ? -errno : 0, -err);
#endif
		CHECK_EQ(io_uring_queue_init(4, &ring, 0), -err);
	}
	free(probe);
	return 0;
}

/* Runs argv with URING_RS_EMULATE set to emulate (NULL: unset); its exit status. */
static int run(const char *const argv[], const char *emulate)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		if (emulate)
			setenv("URING_RS_EMULATE", emulate, 1);
		else
			unsetenv("URING_RS_EMULATE");
		execv(argv[0], (char *const *) argv);
		_exit(99);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		FAIL("%s %s: killed by signal %d", argv[0], argv[1] ? argv[1] : "", WTERMSIG(status));
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	struct io_uring_params p = { 0 };
	ssize_t len;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--refused")) {
		for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
			if (!strcmp(argv[2], errnos[i].name))
				return child(errnos[i].err);
		FAIL("--refused %s: unknown", argv[2]);
	}

	fd = raw_setup(4, &p);
	if (fd < 0)
		SKIP("io_uring_setup fails without the launcher (%s): nothing for it to refuse", strerror(-fd));
	close(fd);
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	CHECK(len > 0);
	self[len] = 0;

	CHECK_EQ(run((const char *[]) { self, "--refused", "none", NULL }, NULL), 0);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, self, "--refused", "EPERM", NULL }, NULL), 0);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, self, "--refused", "EPERM", NULL }, "never"), 0);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "--errno=EPERM", self, "--refused", "EPERM", NULL }, NULL), 0);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "--errno=ENOSYS", self, "--refused", "ENOSYS", NULL }, NULL), 0);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "--errno=EACCES", "--", self, "--refused", "EACCES", NULL }, NULL),
		 0);

	/* As env(1): 127 for a program not found, 126 for one that cannot run;
	 * 2 for bad usage. */
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "/nonexistent/program", NULL }, NULL), 127);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "/", NULL }, NULL), 126);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, NULL }, NULL), 2);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "--errno=EIO", self, NULL }, NULL), 2);
	CHECK_EQ(run((const char *[]) { NO_IO_URING, "--bogus", self, NULL }, NULL), 2);
	return 0;
}
