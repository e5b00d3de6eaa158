/* kernel.io_uring_disabled (Linux 6.6+): with the sysctl at 2 nobody may
 * create a ring, at 1 only processes with CAP_SYS_ADMIN or in
 * kernel.io_uring_group. Ring setup must then give the kernel's -EPERM,
 * leave no file descriptor or mapping behind, and leave the ring in the
 * "not set up" state, on which every call answers as docs/bad-input.md says;
 * with URING_RS_EMULATE=auto it must give a working, emulated ring.
 *
 * It sets the sysctl, so it runs alone: kernels/init runs it in the test VM
 * after the suite. The old values are restored on every exit. Needs root. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>
#include <liburing/rs.h>
#include "harness.h"

#define DISABLED "/proc/sys/kernel/io_uring_disabled"
#define GROUP "/proc/sys/kernel/io_uring_group"
#define NOBODY 65534

static char old_disabled[32], old_group[32];

static int read_knob(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int write_knob(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t) strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

static void restore(void)
{
	if (old_group[0])
		write_knob(GROUP, old_group);
	write_knob(DISABLED, old_disabled);
}

static void on_signal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void set_knob(const char *path, const char *value)
{
	if (write_knob(path, value))
		FAIL("cannot write %s to %s: %s", value, path, strerror(errno));
}

/* Open file descriptors, asked of each number. */
static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

/* /proc/self/maps, opened while still root: a process that dropped root
 * may not open it (it is no longer dumpable), but may read it again. */
static int maps_fd = -1;

static void open_maps(void)
{
	if (maps_fd >= 0)
		close(maps_fd);
	maps_fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (maps_fd < 0)
		FAIL("cannot open /proc/self/maps: %s", strerror(errno));
}

/* Lines of /proc/self/maps, read with a static buffer so that counting
 * maps nothing itself. */
static int count_maps(void)
{
	static char buf[65536];
	ssize_t got;
	int n = 0;

	CHECK_EQ(lseek(maps_fd, 0, SEEK_SET), 0);
	while ((got = read(maps_fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			n += buf[i] == '\n';
	CHECK_EQ(got, 0);
	return n;
}

/* The kernel's own answer, without the library: io_uring_setup raw. */
static int raw_setup(void)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = syscall(__NR_io_uring_setup, 8, &p);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return -errno;
}

/* Every way to set up a ring fails with -EPERM, leaves nothing open or
 * mapped, and leaves a ring on which calls give the not-set-up answers. */
static void check_refused(const char *who)
{
	struct io_uring ring;
	struct io_uring_params p;
	struct io_uring_cqe *cqe = (void *) 1;
	int fds = count_fds(), maps = count_maps(), files[1] = { 0 };

	CHECK_EQ(raw_setup(), -EPERM);
	memset(&ring, 0xa5, sizeof(ring));	/* a caller's uninitialised struct */
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), -EPERM);
	memset(&p, 0, sizeof(p));
	CHECK_EQ(io_uring_queue_init_params(8, &ring, &p), -EPERM);
	memset(&p, 0, sizeof(p));
	/* NULL memory: the library maps the rings itself and must unmap them. */
	CHECK_EQ(io_uring_queue_init_mem(8, &ring, &p, NULL, 0), -EPERM);
	memset(&ring, 0xa5, sizeof(ring));
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), -EPERM);

	CHECK(io_uring_get_sqe(&ring) == NULL);
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(io_uring_submit(&ring), -EBADF);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), -EBADF);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), -EBADF);
	CHECK(cqe == NULL);
	cqe = (void *) 1;
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), -EBADF);
	CHECK(cqe == NULL);
	CHECK_EQ(io_uring_register_files(&ring, files, 1), -EBADF);
	CHECK_EQ(io_uring_register_ring_fd(&ring), -EBADF);
	CHECK(io_uring_get_probe_ring(&ring) == NULL);
	io_uring_queue_exit(&ring);
	io_uring_queue_exit(&ring);

	CHECK_EQ(count_fds(), fds);
	CHECK_EQ(count_maps(), maps);
	printf("%s: refused with -EPERM, nothing leaked, the ring answers -EBADF\n", who);
}

/* With URING_RS_EMULATE=auto the same refusal gives a working ring: the
 * userspace engine's. */
static void check_emulated(const char *who)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CHECK_EQ(raw_setup(), -EPERM);
	setenv("URING_RS_EMULATE", "auto", 1);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	unsetenv("URING_RS_EMULATE");
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->res, 0);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	printf("%s: emulated with URING_RS_EMULATE=auto\n", who);
}

static void check_allowed(const char *who)
{
	struct io_uring ring;

	CHECK_EQ(raw_setup(), 0);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	io_uring_queue_exit(&ring);
	printf("%s: allowed\n", who);
}

/* Runs check() in a child that has dropped root for nobody's ids. */
static void as_nobody(void (*check)(const char *), const char *who)
{
	pid_t pid = fork();
	int status;

	CHECK(pid >= 0);
	if (pid == 0) {
		open_maps();
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) || setresuid(NOBODY, NOBODY, NOBODY))
			FAIL("cannot drop to uid %d: %s", NOBODY, strerror(errno));
		check(who);
		fflush(stdout);
		_exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s: the child failed (status %#x)", who, status);
}

int main(void)
{
	char gid[16];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(DISABLED, F_OK))
		SKIP("the kernel has no %s", DISABLED);
	if (geteuid() != 0)
		SKIP("setting %s needs root", DISABLED);
	if (read_knob(DISABLED, old_disabled, sizeof(old_disabled)))
		FAIL("cannot read %s: %s", DISABLED, strerror(errno));
	if (access(GROUP, F_OK) == 0 && read_knob(GROUP, old_group, sizeof(old_group)))
		FAIL("cannot read %s: %s", GROUP, strerror(errno));
	open_maps();
	atexit(restore);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	set_knob(DISABLED, "0");
	check_allowed("disabled=0, root");
	as_nobody(check_allowed, "disabled=0, uid nobody");

	set_knob(DISABLED, "2");
	check_refused("disabled=2, root");
	as_nobody(check_refused, "disabled=2, uid nobody");
	check_emulated("disabled=2, root");

	set_knob(DISABLED, "1");
	check_allowed("disabled=1, root (CAP_SYS_ADMIN)");
	if (old_group[0])
		set_knob(GROUP, "-1");
	as_nobody(check_refused, "disabled=1, uid nobody, not in io_uring_group");
	if (old_group[0]) {
		snprintf(gid, sizeof(gid), "%d", NOBODY);
		set_knob(GROUP, gid);
		as_nobody(check_allowed, "disabled=1, uid nobody, in io_uring_group");
	}
	return 0;
}
