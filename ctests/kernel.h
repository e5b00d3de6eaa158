/* What the running kernel offers, learned without the library: raw
 * io_uring_setup(2) with params built here, IORING_REGISTER_PROBE on a raw
 * ring, registration opcodes tried raw with arguments the caller builds.
 * Never the kernel's version number. A question that creates a ring runs in
 * a forked child, so nothing it makes (fds, mappings, registered rings)
 * outlives the answer.
 *
 * Every skip goes through here (or SKIP/SKIP_CASE in harness.h) and names
 * what is missing: "skip: kernel lacks X" ends the test with 77, "skip case:
 * kernel lacks X" lets it go on. ctests/run.sh checks both against the
 * running kernel's list, ctests/skips/<major.minor>.tsv. Where the kernel
 * has a feature, the test then asserts that the library's call succeeds. */
#ifndef CTESTS_KERNEL_H
#define CTESTS_KERNEL_H

#include <errno.h>
#include <stdbool.h>
#include <liburing.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

static inline int raw_setup(unsigned entries, struct io_uring_params *p)
{
	int ret = syscall(__NR_io_uring_setup, entries, p);

	return ret < 0 ? -errno : ret;
}

static inline int raw_register(int fd, unsigned op, const void *arg, unsigned nr)
{
	int ret = syscall(__NR_io_uring_register, fd, op, arg, nr);

	return ret < 0 ? -errno : ret;
}

static inline int raw_enter(int fd, unsigned submit, unsigned min, unsigned flags, const void *arg, size_t argsz)
{
	int ret = syscall(__NR_io_uring_enter, fd, submit, min, flags, arg, argsz);

	return ret < 0 ? -errno : ret;
}

/* Runs fn(arg) in a child and returns its result, 0 or -errno. */
static inline int kernel_in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int ret = fn(arg);

		_exit(ret < 0 ? -ret : 0);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

struct kernel_ring {
	unsigned entries;
	struct io_uring_params p;
	unsigned op, nr;
	const void *arg;
};

/* In a child: a raw ring as described (given memory of its own for
 * IORING_SETUP_NO_MMAP), then, if asked, the registration. */
static inline int kernel_ring_child(void *arg)
{
	struct kernel_ring *k = arg;
	int fd;

	if ((k->p.flags & IORING_SETUP_NO_MMAP) && !k->p.sq_off.user_addr) {
		size_t len = 1 << 20;
		char *mem = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (mem == MAP_FAILED)
			return -ENOMEM;
		k->p.sq_off.user_addr = (__u64) (uintptr_t) mem;
		k->p.cq_off.user_addr = (__u64) (uintptr_t) (mem + len);
	}
	fd = raw_setup(k->entries, &k->p);
	if (fd < 0 || !k->op)
		return fd < 0 ? fd : 0;
	if (k->p.flags & IORING_SETUP_REGISTERED_FD_ONLY)
		k->op |= IORING_REGISTER_USE_REGISTERED_RING;
	return raw_register(fd, k->op, k->arg, k->nr);
}

/* 0 when a raw io_uring_setup(entries, p) succeeds, else its -errno. */
static inline int kernel_setup(unsigned entries, const struct io_uring_params *p)
{
	struct kernel_ring k = { .entries = entries, .p = *p };

	return kernel_in_child(kernel_ring_child, &k);
}

static inline int kernel_setup_flags(unsigned flags)
{
	struct io_uring_params p = { .flags = flags };

	return kernel_setup(8, &p);
}

/* What a raw registration `op` with (arg, nr) returns (>0 counted as 0) on
 * a fresh raw ring set up with `setup_flags`. */
static inline int kernel_register(unsigned setup_flags, unsigned op, const void *arg, unsigned nr)
{
	struct kernel_ring k = { .entries = 8, .p = { .flags = setup_flags }, .op = op, .arg = arg, .nr = nr };

	return kernel_in_child(kernel_ring_child, &k);
}

/* The IORING_FEAT_* bits of a raw ring. */
static inline unsigned kernel_features(void)
{
	struct io_uring_params p = { 0 };
	int fd = raw_setup(1, &p);

	CHECK(fd >= 0);
	close(fd);
	return p.features;
}

/* IORING_REGISTER_PROBE on a raw ring, room for 256 ops; NULL when the
 * kernel has no probe. */
static inline const struct io_uring_probe *kernel_probe(void)
{
	static union {
		struct io_uring_probe p;
		char bytes[sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op)];
	} u;
	struct io_uring_params p = { 0 };
	int fd = raw_setup(1, &p), ret;

	CHECK(fd >= 0);
	memset(&u, 0, sizeof(u));
	ret = raw_register(fd, IORING_REGISTER_PROBE, &u.p, 256);
	close(fd);
	return ret < 0 ? NULL : &u.p;
}

/* Whether the raw probe marks opcode `op` supported (a kernel without the
 * probe supports none of the opcodes asked about). */
static inline bool kernel_has_op(int op)
{
	const struct io_uring_probe *p = kernel_probe();

	return p && op >= 0 && op <= p->last_op && (p->ops[op].flags & IO_URING_OP_SUPPORTED);
}

#define SKIP_LACKS(...) do { fprintf(stderr, "skip: kernel lacks "); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(77); } while (0)

/* Prints the case-skip line; returns false so callers can write
 * `if (!have_x(...)) return;`. */
static inline bool lacks_case(const char *what)
{
	SKIP_CASE("kernel lacks %s", what);
	return false;
}

/* Skips the test (need_*) or reports a skipped case (have_*) unless the
 * kernel has the opcode, accepts the setup, has the feature bit, or takes
 * the registration. */
static inline void need_op(int op, const char *name)
{
	if (!kernel_has_op(op))
		SKIP_LACKS("%s", name);
}
#define NEED_OP(op) need_op(op, #op)

static inline bool have_op(int op, const char *name)
{
	return kernel_has_op(op) || lacks_case(name);
}
#define HAVE_OP(op) have_op(op, #op)

static inline void need_setup(unsigned entries, const struct io_uring_params *p, const char *name)
{
	if (kernel_setup(entries, p))
		SKIP_LACKS("%s", name);
}

static inline bool have_setup(unsigned entries, const struct io_uring_params *p, const char *name)
{
	return !kernel_setup(entries, p) || lacks_case(name);
}

#define NEED_SETUP_FLAGS(f) do { struct io_uring_params p_ = { .flags = (f) }; \
	need_setup(8, &p_, #f); } while (0)

static inline bool have_setup_flags(unsigned flags, const char *name)
{
	struct io_uring_params p = { .flags = flags };

	return have_setup(8, &p, name);
}
#define HAVE_SETUP_FLAGS(flags) have_setup_flags(flags, #flags)

static inline void need_feature(unsigned bit, const char *name)
{
	if (!(kernel_features() & bit))
		SKIP_LACKS("%s", name);
}
#define NEED_FEATURE(bit) need_feature(bit, #bit)

static inline bool have_feature(unsigned bit, const char *name)
{
	return (kernel_features() & bit) || lacks_case(name);
}
#define HAVE_FEATURE(bit) have_feature(bit, #bit)

static inline void need_register(unsigned setup_flags, unsigned op, const void *arg, unsigned nr, const char *name)
{
	if (kernel_register(setup_flags, op, arg, nr))
		SKIP_LACKS("%s", name);
}

static inline bool have_register(unsigned setup_flags, unsigned op, const void *arg, unsigned nr,
				 const char *name)
{
	return !kernel_register(setup_flags, op, arg, nr) || lacks_case(name);
}

struct kernel_sqe_arg {
	unsigned setup_flags;
	const struct io_uring_sqe *sqe;
	const struct iovec *buf;	/* registered as buffer 0 when set */
};

/* In a child: a raw ring of its own mappings runs the hand-built SQE
 * and returns its CQE's result. */
static inline int kernel_sqe_child(void *arg)
{
	const struct kernel_sqe_arg *a = arg;
	struct io_uring_params p = { .flags = a->setup_flags };
	int fd = raw_setup(4, &p), ret;
	char *sq, *cq;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;

	if (fd < 0)
		return fd;
	if (a->buf && (ret = raw_register(fd, IORING_REGISTER_BUFFERS, a->buf, 1)) < 0)
		return ret;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(*cqe), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		  IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * 2 * sizeof(*sqes), PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return -ENOMEM;
	sqes[0] = *a->sqe;
	((unsigned *) (sq + p.sq_off.array))[0] = 0;
	__atomic_store_n((unsigned *) (sq + p.sq_off.tail), 1, __ATOMIC_RELEASE);
	ret = raw_enter(fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	if (ret < 0)
		return ret;
	cqe = (struct io_uring_cqe *) (cq + p.cq_off.cqes);
	return cqe->res < 0 ? cqe->res : 0;
}

/* The result of the hand-built `sqe` run on a raw ring set up with
 * `setup_flags` (0 for any success; its fds and pointers are the caller's,
 * inherited by the child). */
static inline int kernel_sqe_on(unsigned setup_flags, const struct io_uring_sqe *sqe)
{
	struct kernel_sqe_arg a = { setup_flags, sqe, NULL };

	return kernel_in_child(kernel_sqe_child, &a);
}

/* The same with `buf` registered as buffer 0 of the raw ring. */
static inline int kernel_sqe_buf(const struct io_uring_sqe *sqe, const struct iovec *buf)
{
	struct kernel_sqe_arg a = { 0, sqe, buf };

	return kernel_in_child(kernel_sqe_child, &a);
}

static inline int kernel_sqe(const struct io_uring_sqe *sqe)
{
	return kernel_sqe_on(0, sqe);
}

/* In a child: a raw ring registers its own fd (IORING_REGISTER_RING_FDS). */
static inline int kernel_ring_fds_child(void *unused)
{
	struct io_uring_params p = { 0 };
	struct io_uring_rsrc_update up = { .offset = -1U };
	int fd = raw_setup(1, &p);

	(void) unused;
	if (fd < 0)
		return fd;
	up.data = fd;
	return raw_register(fd, IORING_REGISTER_RING_FDS, &up, 1);
}
#define NEED_RING_FDS() do { if (kernel_in_child(kernel_ring_fds_child, NULL)) \
	SKIP_LACKS("IORING_REGISTER_RING_FDS"); } while (0)

static inline bool have_ring_fds(void)
{
	return !kernel_in_child(kernel_ring_fds_child, NULL) || lacks_case("IORING_REGISTER_RING_FDS");
}

/* Whether a raw IORING_REGISTER_PBUF_RING of a small ring works. */
static inline int kernel_pbuf_ring(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct io_uring_buf_reg reg = { .ring_addr = (__u64) (uintptr_t) mem, .ring_entries = 8, .bgid = 0 };
	int ret;

	CHECK(mem != MAP_FAILED);
	ret = kernel_register(0, IORING_REGISTER_PBUF_RING, &reg, 1);
	munmap(mem, page);
	return ret;
}
#define NEED_PBUF_RING() do { if (kernel_pbuf_ring()) SKIP_LACKS("IORING_REGISTER_PBUF_RING"); } while (0)

static inline bool kernel_has_pbuf_ring(void)
{
	return kernel_pbuf_ring() == 0;
}

#define HAVE_REGISTER(fd, op, arg, nr) (raw_register(fd, op, arg, nr) >= 0 || lacks_case(#op))

/* Whether a raw ring takes a sparse table of two through `op`
 * (IORING_REGISTER_FILES2 or IORING_REGISTER_BUFFERS2). */
static inline bool have_sparse(unsigned op, const char *name)
{
	struct io_uring_rsrc_register rr = { .nr = 2, .flags = IORING_RSRC_REGISTER_SPARSE };

	return !kernel_register(0, op, &rr, sizeof(rr)) || lacks_case(name);
}
#define HAVE_SPARSE(op) have_sparse(op, "sparse tables through " #op)

/* What a raw IORING_REGISTER_CLONE_BUFFERS of the buffers of ring `src_fd`
 * (the first `nr` of them when nr > 0) into a fresh raw ring returns. */
static inline int kernel_clone(int src_fd, unsigned nr)
{
	struct io_uring_params p = { 0 };
	struct io_uring_clone_buffers arg = { .src_fd = src_fd, .nr = nr };
	int fd = raw_setup(1, &p), ret;

	CHECK(fd >= 0);
	ret = raw_register(fd, IORING_REGISTER_CLONE_BUFFERS, &arg, 1);
	close(fd);
	return ret;
}

/* Whether a raw IORING_REGISTER_PBUF_STATUS knows the call: a kernel that
 * has it reports an unregistered group as -ENOENT. */
static inline bool kernel_pbuf_status(void)
{
	struct io_uring_buf_status st = { .buf_group = 77 };

	return kernel_register(0, IORING_REGISTER_PBUF_STATUS, &st, 1) == -ENOENT;
}
#define NEED_PBUF_STATUS() do { if (!kernel_pbuf_status()) SKIP_LACKS("IORING_REGISTER_PBUF_STATUS"); } while (0)

/* Whether a hand-built multishot recv with buffer selection is taken: with
 * data waiting and no buffers in its group, a kernel that has it answers
 * -ENOBUFS, one that does not refuses the flags. */
static inline bool kernel_recv_multishot(void)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_RECV, .ioprio = IORING_RECV_MULTISHOT,
				    .flags = IOSQE_BUFFER_SELECT, .buf_group = 999 };
	int sv[2], ret;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	CHECK_EQ(write(sv[1], "x", 1), 1);
	sqe.fd = sv[0];
	ret = kernel_sqe(&sqe);
	close(sv[0]);
	close(sv[1]);
	return ret == -ENOBUFS;
}
#define NEED_RECV_MULTISHOT() do { if (!kernel_recv_multishot()) SKIP_LACKS("IORING_RECV_MULTISHOT"); } while (0)

/* Whether a raw IORING_REGISTER_SYNC_CANCEL is known: on an idle raw ring,
 * a kernel that has it finds nothing to cancel. */
static inline bool kernel_sync_cancel(void)
{
	struct io_uring_sync_cancel_reg none = { .addr = 42, .fd = -1, .timeout = { -1, -1 } };

	return kernel_register(0, IORING_REGISTER_SYNC_CANCEL, &none, 1) == -ENOENT;
}

/* Whether a hand-built IORING_OP_ASYNC_CANCEL by fd, with `flags` too, is
 * known (it then finds nothing to cancel on a pipe). */
static inline bool kernel_cancel_fd_with(unsigned flags)
{
	int p[2], ret;
	struct io_uring_sqe sqe = { .opcode = IORING_OP_ASYNC_CANCEL, .cancel_flags = IORING_ASYNC_CANCEL_FD | flags };

	CHECK_EQ(pipe(p), 0);
	sqe.fd = p[0];
	ret = kernel_sqe(&sqe);
	close(p[0]);
	close(p[1]);
	return ret == -ENOENT;
}

static inline bool kernel_cancel_fd(void)
{
	return kernel_cancel_fd_with(0);
}

/* Whether a hand-built IORING_TIMEOUT_UPDATE with `flags` added is known
 * (it then finds no timeout to update). */
static inline bool kernel_timeout_update(unsigned flags)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_sqe sqe = { .opcode = IORING_OP_TIMEOUT_REMOVE, .fd = -1, .addr = 12345,
				    .off = (__u64) (uintptr_t) &ts, .timeout_flags = IORING_TIMEOUT_UPDATE | flags };

	return kernel_sqe(&sqe) == -ENOENT;
}

/* Whether a hand-built IORING_TIMEOUT_MULTISHOT timeout is known: firing
 * once (`off` 1) it ends with -ETIME; a kernel without it says -EINVAL. */
static inline bool kernel_timeout_multishot(void)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000 };
	struct io_uring_sqe sqe = { .opcode = IORING_OP_TIMEOUT, .fd = -1, .addr = (__u64) (uintptr_t) &ts,
				    .len = 1, .off = 1, .timeout_flags = IORING_TIMEOUT_MULTISHOT };

	return kernel_sqe(&sqe) == -ETIME;
}

/* Whether a hand-built poll update (IORING_POLL_UPDATE_EVENTS, which came
 * with multishot poll) is known: it then finds no poll to update. */
static inline bool kernel_poll_update(void)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_POLL_REMOVE, .fd = -1, .addr = 12345,
				    .len = IORING_POLL_UPDATE_EVENTS, .poll32_events = 4 };

	return kernel_sqe(&sqe) == -ENOENT;
}

/* In a child: whether unregistering a tagged table (IORING_REGISTER_FILES2
 * or IORING_REGISTER_BUFFERS2, `arg` says which) posts the tag of an entry
 * still in it, within two seconds. */
static inline int kernel_unregister_tags_child(void *arg)
{
	bool files = arg != NULL;
	static char buf[64];
	struct iovec iov = { buf, sizeof(buf) };
	struct io_uring_params p = { 0 };
	struct __kernel_timespec ts = { .tv_sec = 2 };
	struct io_uring_getevents_arg wait = { .ts = (__u64) (uintptr_t) &ts };
	__u64 tag = 7;
	int pfd[2], fd = raw_setup(4, &p);
	char *cq;

	if (fd < 0 || pipe(pfd))
		return -EINVAL;
	struct io_uring_rsrc_register rr = { .nr = 1, .tags = (__u64) (uintptr_t) &tag,
					     .data = files ? (__u64) (uintptr_t) pfd : (__u64) (uintptr_t) &iov };
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE,
		  MAP_SHARED, fd, IORING_OFF_CQ_RING);
	if (cq == MAP_FAILED)
		return -ENOMEM;
	if (raw_register(fd, files ? IORING_REGISTER_FILES2 : IORING_REGISTER_BUFFERS2, &rr, sizeof(rr)) < 0 ||
	    raw_register(fd, files ? IORING_UNREGISTER_FILES : IORING_UNREGISTER_BUFFERS, NULL, 0) < 0)
		return -EINVAL;
	raw_enter(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, &wait, sizeof(wait));
	return *(unsigned *) (cq + p.cq_off.tail) != *(unsigned *) (cq + p.cq_off.head) ? 0 : -ENOENT;
}
#define UNREGISTER_POSTS_TAGS(files) (kernel_in_child(kernel_unregister_tags_child, (files) ? "" : NULL) == 0 || \
	lacks_case("tag CQEs for the entries left when a table is unregistered"))

/* The library's ring for `flags` / `p` where a raw setup with the same
 * arguments works (else the test skips): the library must succeed. */
static inline void ring_init_params(struct io_uring *ring, unsigned entries, struct io_uring_params *p,
				    const char *name)
{
	need_setup(entries, p, name);
	CHECK_EQ(io_uring_queue_init_params(entries, ring, p), 0);
}

static inline void ring_init_flags(struct io_uring *ring, unsigned entries, unsigned flags, const char *name)
{
	struct io_uring_params p = { .flags = flags };

	need_setup(entries, &p, name);
	CHECK_EQ(io_uring_queue_init(entries, ring, flags), 0);
}
#define RING_INIT(ring, entries, flags) ring_init_flags(ring, entries, flags, #flags)

/* Like ring_init_flags for one case: false (a skipped case) where the
 * kernel refuses the flags raw. */
static inline bool ring_try_flags(struct io_uring *ring, unsigned entries, unsigned flags, const char *name)
{
	struct io_uring_params p = { .flags = flags };

	if (!have_setup(entries, &p, name))
		return false;
	CHECK_EQ(io_uring_queue_init(entries, ring, flags), 0);
	return true;
}
#define RING_TRY(ring, entries, flags) ring_try_flags(ring, entries, flags, #flags)
#define RING_INIT_PARAMS(ring, entries, p, name) ring_init_params(ring, entries, p, name)

/* Whether a plain connect(2) to `sa`, where nobody listens, is refused
 * within two seconds. Debian's s390x kernel under qemu TCG leaves such a
 * SYN unanswered until the connect times out (upstream's connect tests
 * time out there too); elsewhere the refusal is immediate. */
static inline bool have_refused_connect(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), err = 0;
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(err);
	bool refused;

	CHECK(fd >= 0);
	if (connect(fd, (const struct sockaddr *) sa, sizeof(*sa)) == 0)
		FAIL("a connect to a closed port succeeded");
	refused = errno == ECONNREFUSED ||
		  (errno == EINPROGRESS && poll(&p, 1, 2000) == 1 &&
		   getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == ECONNREFUSED);
	close(fd);
	return refused || lacks_case("a prompt refusal of a connect to a closed loopback port");
}

#endif
