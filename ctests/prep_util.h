/* Helpers the preparer tests share: running SQEs to completion, skipping
 * (kernel.h says when to skip), and the registrations they need, done
 * with the raw io_uring_register(2) call. */
#ifndef CTESTS_PREP_UTIL_H
#define CTESTS_PREP_UTIL_H

#include <liburing.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "harness.h"
#include "kernel.h"

/* The next free SQE; the tests never fill the SQ, so NULL is a failure. */
static inline struct io_uring_sqe *sqe_of(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe)
		FAIL("io_uring_get_sqe: SQ full");
	return sqe;
}

/* Waits for the next CQE, consumes it and returns a copy. */
static inline struct io_uring_cqe next_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe, copy;
	int ret = io_uring_wait_cqe(ring, &cqe);

	if (ret)
		FAIL("io_uring_wait_cqe: %s", strerror(-ret));
	copy = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return copy;
}

/* Submits everything prepared, expecting `n` SQEs to go in. */
static inline void submit_n(struct io_uring *ring, int n)
{
	int ret = io_uring_submit(ring);

	if (ret != n)
		FAIL("io_uring_submit returned %d, expected %d", ret, n);
}

/* Submits the one prepared SQE and returns its CQE's result. */
static inline int run1(struct io_uring *ring)
{
	submit_n(ring, 1);
	return next_cqe(ring).res;
}

/* Registers a table of `nr` empty direct-descriptor slots. */
static inline void register_sparse_files(struct io_uring *ring, unsigned nr)
{
	int fds[64];

	CHECK(nr <= 64);
	for (unsigned i = 0; i < nr; i++)
		fds[i] = -1;
	CHECK_EQ(io_uring_register(ring->ring_fd, IORING_REGISTER_FILES, fds, nr), 0);
}

/* Registers `nr` fixed buffers; false (a skipped case) where the kernel
 * refuses the same registration made raw on the ring (some kernels refuse
 * some static buffers). */
static inline bool register_buffers(struct io_uring *ring, const struct iovec *iov, unsigned nr)
{
	if (raw_register(ring->ring_fd, IORING_REGISTER_BUFFERS, iov, nr) < 0)
		return lacks_case("IORING_REGISTER_BUFFERS of this buffer (refused raw)");
	CHECK_EQ(raw_register(ring->ring_fd, IORING_UNREGISTER_BUFFERS, NULL, 0), 0);
	CHECK_EQ(io_uring_register(ring->ring_fd, IORING_REGISTER_BUFFERS, iov, nr), 0);
	return true;
}

/* A provided-buffer ring of `entries` buffers of `size` bytes each,
 * buffer i holding ID i, registered as group `bgid` and fully published. */
struct pbuf_ring {
	struct io_uring_buf_ring *br;
	unsigned entries;
	size_t size;
	char *mem;
};

static inline void pbuf_ring_setup(struct io_uring *ring, struct pbuf_ring *pr, int bgid,
				   unsigned entries, size_t size)
{
	size_t ring_bytes = entries * sizeof(struct io_uring_buf);
	struct io_uring_buf_reg reg = { 0 };
	int ret;

	pr->entries = entries;
	pr->size = size;
	pr->br = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(pr->br != MAP_FAILED);
	pr->mem = malloc(entries * size);
	CHECK(pr->mem != NULL);
	io_uring_buf_ring_init(pr->br);
	reg.ring_addr = (__u64) (uintptr_t) pr->br;
	reg.ring_entries = entries;
	reg.bgid = bgid;
	NEED_PBUF_RING();
	ret = io_uring_register(ring->ring_fd, IORING_REGISTER_PBUF_RING, &reg, 1);
	CHECK_EQ(ret, 0);
	for (unsigned i = 0; i < entries; i++)
		io_uring_buf_ring_add(pr->br, pr->mem + i * size, size, i,
				      io_uring_buf_ring_mask(entries), i);
	io_uring_buf_ring_advance(pr->br, entries);
}

/* A fresh scratch directory under /tmp, removed with its contents at
 * exit (also after FAIL or SKIP). */
/* A connected TCP pair on loopback. */
static inline void tcp_pair(int *client, int *server)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK(lfd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_EQ(bind(lfd, (struct sockaddr *) &sa, sizeof(sa)), 0);
	CHECK_EQ(listen(lfd, 1), 0);
	CHECK_EQ(getsockname(lfd, (struct sockaddr *) &sa, &len), 0);
	*client = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_EQ(connect(*client, (struct sockaddr *) &sa, sizeof(sa)), 0);
	*server = accept(lfd, NULL, NULL);
	CHECK(*server >= 0);
	close(lfd);
}

/* Releases what pbuf_ring_setup allocated (the kernel's registration goes
 * with the ring). */
static inline void pbuf_ring_free(struct pbuf_ring *pr)
{
	munmap(pr->br, pr->entries * sizeof(struct io_uring_buf));
	free(pr->mem);
}

static char scratch_path[] = "/tmp/uring-rs-test-XXXXXX";

static inline void scratch_cleanup(void)
{
	char cmd[64];
	int ret;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch_path);
	ret = system(cmd);
	(void) ret;
}

static inline const char *scratch_dir(void)
{
	if (!mkdtemp(scratch_path))
		FAIL("mkdtemp: %s", strerror(errno));
	atexit(scratch_cleanup);
	return scratch_path;
}

#endif
