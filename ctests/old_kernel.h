/* What the old-kernel tests share (old_waits, old_mmap, old_nodrop,
 * old_probe, old_min_timeout). They run older kernels' paths on any kernel,
 * by clearing feature bits the library reads from ring.features (or by
 * refusing a call, old_probe), and print what every step returns and
 * leaves behind. ctests/diff_upstream.sh runs all but old_min_timeout on
 * Debian's liburing and on liburing-rs (that binary preloaded, preloaded
 * and traced, and built against liburing-rs) and compares the outputs, so
 * they are written against liburing 2.3's API and must print nothing that
 * depends on timing. */
#ifndef CTESTS_OLD_KERNEL_H
#define CTESTS_OLD_KERNEL_H

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include "helpers.h"

/* A timeout that must expire lasts TIMEOUT_MS; waiting SETTLE_MS, far
 * longer, lets it expire for sure. */
#define TIMEOUT_MS 20
#define SETTLE_MS 150

static inline void print_cqe(const struct io_uring_cqe *cqe)
{
	printf(" %lld/%d/%#x", (long long) cqe->user_data, cqe->res, cqe->flags);
}

/* One step's outcome: its return value, the CQE it handed out (consumed
 * here), and what is left in the SQ and CQ. */
static inline void show(struct io_uring *ring, const char *step, int ret, struct io_uring_cqe *cqe)
{
	printf("%s: ret=%d cqe", step, ret);
	if (cqe)
		print_cqe(cqe);
	else
		printf(" none");
	printf(" sq_ready=%u cq_ready=%u\n", io_uring_sq_ready(ring), io_uring_cq_ready(ring));
	fflush(stdout);
	if (cqe)
		io_uring_cqe_seen(ring, cqe);
}

/* io_uring_setup(2) itself, to learn what the kernel offers without asking
 * the library under test. Returns the fd (closed by the caller) or -errno. */
static inline int raw_setup(unsigned entries, struct io_uring_params *p)
{
	int fd = (int) syscall(__NR_io_uring_setup, entries, p);

	return fd < 0 ? -errno : fd;
}

/* The kernel's features for a plain ring; skips the test without io_uring. */
static inline unsigned kernel_features(void)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = raw_setup(4, &p);
	if (fd < 0)
		SKIP("io_uring_setup: %s", strerror(-fd));
	close(fd);
	return p.features;
}

#endif
