/* The `emulate_diff` fuzz target: the same random program of SQEs runs on
 * a kernel ring and on a ring of the userspace engine (URING_RS_EMULATE
 * set to "always" for its setup), each over its own memfd with the same
 * contents. Each submission must consume the same count on both; the
 * CQEs of the whole program (user_data, res, flags), sorted by user_data
 * since either side may complete a chain later than the next one (the
 * kernel runs a chain after a drained one in its workers, the engine holds
 * such a chain until its reactor lets it go), must be equal; and so must
 * the files at the end. The operations are those whose outcome leaves no room for
 * timing: NOPs (with injected results), reads, writes, fsync, fallocate
 * and ftruncate on the memfd, reads through fixed slots (full, empty, out
 * of range), a bad fd and an unknown opcode, under the link, hard-link,
 * skip-success and drain flags, each batch one link chain. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <liburing.h>
#include <liburing/rs.h>

#define FILE_SIZE 4096
#define MAX_BATCH 8
/* Room for every CQE of the longest program libFuzzer makes by default. */
#define MAX_CQES 4096

struct side {
	struct io_uring ring;
	int memfd;
	char buf[MAX_BATCH][256];
	struct io_uring_cqe cqes[MAX_CQES];
	unsigned ncqes;
};

#define BUG(...) do { \
	fprintf(stderr, "emulate_diff: " __VA_ARGS__); fputc('\n', stderr); abort(); \
} while (0)

static void side_init(struct side *s, int emulated)
{
	char pattern[FILE_SIZE];
	int fds[2];

	if (emulated)
		setenv("URING_RS_EMULATE", "always", 1);
	else
		unsetenv("URING_RS_EMULATE");
	if (io_uring_queue_init(16, &s->ring, 0))
		BUG("queue_init failed");
	if (io_uring_rs_is_emulated(&s->ring) != emulated)
		BUG("ring is %s", emulated ? "not emulated" : "emulated");
	s->memfd = memfd_create("emulate_diff", MFD_CLOEXEC);
	for (int i = 0; i < FILE_SIZE; i++)
		pattern[i] = (char) (i * 7);
	if (s->memfd < 0 || pwrite(s->memfd, pattern, FILE_SIZE, 0) != FILE_SIZE)
		BUG("memfd");
	fds[0] = s->memfd;
	fds[1] = -1;
	if (io_uring_register_files(&s->ring, fds, 2))
		BUG("register_files");
}

/* SQE `i` of a batch from its four bytes: kind, flags, a, b. */
static void prep(struct side *s, const uint8_t *op, unsigned i, __u64 tag, int no_skip)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);
	unsigned a = op[2], b = op[3];
	char *buf = s->buf[i];

	switch (op[0] % 9) {
	case 0:
		io_uring_prep_nop(sqe);
		if (a & 1) {
			sqe->nop_flags = IORING_NOP_INJECT_RESULT;
			sqe->len = (unsigned) ((int) b - 128);
		}
		break;
	case 1:
		io_uring_prep_read(sqe, s->memfd, buf, b, a * 16);
		break;
	case 2:
		memset(buf, (int) (a ^ b), sizeof(s->buf[i]));
		io_uring_prep_write(sqe, s->memfd, buf, b % 64, a * 16);
		break;
	case 3:
		io_uring_prep_read(sqe, a % 3, buf, b, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		break;
	case 4:
		io_uring_prep_fsync(sqe, s->memfd, a & 1 ? IORING_FSYNC_DATASYNC : 0);
		break;
	case 5:
		io_uring_prep_ftruncate(sqe, s->memfd, a * 32);
		break;
	case 6:
		io_uring_prep_read(sqe, -1, buf, b, 0);
		break;
	case 7:
		io_uring_prep_nop(sqe);
		sqe->opcode = 200;
		break;
	default:
		io_uring_prep_fallocate(sqe, s->memfd, 0, a * 16, b + 1);
		break;
	}
	sqe->flags |= op[1] & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK | IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_DRAIN);
	if (no_skip)
		sqe->flags &= ~IOSQE_CQE_SKIP_SUCCESS;
	/* One chain per batch, ended by a NOP: the kernel orders nothing
	 * else, these operations share a file, and a skipped CQE says
	 * nothing of when its request ran. */
	sqe->flags |= op[1] & IOSQE_IO_HARDLINK ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK;
	sqe->user_data = tag;
}

/* The NOP that ends a batch's chain: once it completes (or is cancelled),
 * so has every request before it. */
static void end_chain(struct side *s, __u64 tag)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	io_uring_prep_nop(sqe);
	sqe->user_data = tag;
}

static void take(struct side *s, struct io_uring_cqe *cqe)
{
	if (s->ncqes == MAX_CQES)
		BUG("too many CQEs");
	s->cqes[s->ncqes++] = *cqe;
	io_uring_cqe_seen(&s->ring, cqe);
}

/* Takes every CQE there is, without waiting. */
static void take_ready(struct side *s)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(&s->ring, &cqe) == 0)
		take(s, cqe);
}

/* Takes one more CQE, waiting up to a second: 0 when none came. */
static int take_one(struct side *s)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_cqe *cqe;

	if (io_uring_wait_cqe_timeout(&s->ring, &cqe, &ts))
		return 0;
	take(s, cqe);
	return 1;
}

/* Takes what either ring has left, then more from the one behind until
 * both have as many CQEs. */
static void reap_both(struct side *k, struct side *e)
{
	take_ready(k);
	take_ready(e);
	while (k->ncqes != e->ncqes) {
		int kernel_behind = k->ncqes < e->ncqes;

		if (!take_one(kernel_behind ? k : e))
			BUG("a CQE the %s ring posted never came on the %s ring", kernel_behind ? "emulated" : "kernel",
			    kernel_behind ? "kernel" : "emulated");
	}
}

/* Takes the CQEs of a batch that touches the file and ends with NOP `end`,
 * waiting up to a second for that NOP's CQE, which then always comes (such
 * a batch asks for no CQE_SKIP_SUCCESS, which could hide it): the next
 * batch reuses its buffers. */
static void reap_batch(struct side *s, __u64 end)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000 * 1000 };
	struct io_uring_cqe *cqe;

	for (int waited = 0; waited < 1000;) {
		if (io_uring_peek_cqe(&s->ring, &cqe) == 0) {
			int last = cqe->user_data == end;

			take(s, cqe);
			if (last)
				break;
		} else if (io_uring_wait_cqe_timeout(&s->ring, &cqe, &ts) == -ETIME) {
			waited++;
		}
	}
}

/* Whether a batch's operations touch the file. */
static int touches_file(const uint8_t *ops, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned kind = ops[4 * i] % 9;

		if (kind != 0 && kind != 6 && kind != 7)
			return 1;
	}
	return 0;
}

static int by_user_data(const void *x, const void *y)
{
	const struct io_uring_cqe *a = x, *b = y;

	return a->user_data < b->user_data ? -1 : a->user_data > b->user_data;
}

/* Whether both rings' CQEs, sorted, are the same. */
static int same(struct side *k, struct side *e)
{
	qsort(k->cqes, k->ncqes, sizeof(k->cqes[0]), by_user_data);
	qsort(e->cqes, e->ncqes, sizeof(e->cqes[0]), by_user_data);
	for (unsigned i = 0; i < k->ncqes && k->ncqes == e->ncqes; i++) {
		struct io_uring_cqe *a = &k->cqes[i], *b = &e->cqes[i];

		if (a->user_data != b->user_data || a->res != b->res || a->flags != b->flags)
			return 0;
	}
	return k->ncqes == e->ncqes;
}

static void show(const char *name, const struct side *s)
{
	fprintf(stderr, "emulate_diff: %s:", name);
	for (unsigned i = 0; i < s->ncqes; i++)
		fprintf(stderr, " {%llu, %d, %u}", (unsigned long long) s->cqes[i].user_data, s->cqes[i].res,
			s->cqes[i].flags);
	fputc('\n', stderr);
}

/* Compares the rings' CQEs. Either may still complete a chain after the
 * next one, so a difference counts once it has lasted a second. */
static void compare(struct side *k, struct side *e)
{
	for (int tries = 0; !same(k, e); tries++) {
		if (tries == 100) {
			show("kernel", k);
			show("engine", e);
			BUG("the rings' CQEs differ");
		}
		usleep(10000);
		reap_both(k, e);
	}
}

void fuzz_emulate_diff(const uint8_t *data, size_t len)
{
	static struct side k, e;
	char fk[FILE_SIZE * 2], fe[FILE_SIZE * 2];
	__u64 tag = 1;

	side_init(&k, 0);
	side_init(&e, 1);
	k.ncqes = e.ncqes = 0;
	while (len > 0) {
		unsigned n = data[0] % MAX_BATCH + 1;
		int sk, se, workers;

		data++, len--;
		if (len < 4 * n)
			break;
		workers = touches_file(data, n);
		for (unsigned i = 0; i < n; i++, tag++) {
			prep(&k, data + 4 * i, i, tag, workers);
			prep(&e, data + 4 * i, i, tag, workers);
		}
		end_chain(&k, tag);
		end_chain(&e, tag);
		data += 4 * n, len -= 4 * n;
		sk = io_uring_submit(&k.ring);
		se = io_uring_submit(&e.ring);
		if (sk != se)
			BUG("submit: kernel %d, engine %d", sk, se);
		/* What the kernel left unsubmitted stays in both SQs: drop it. */
		k.ring.sq.sqe_tail = k.ring.sq.sqe_head;
		e.ring.sq.sqe_tail = e.ring.sq.sqe_head;
		if (workers) {
			reap_batch(&k, tag);
			reap_batch(&e, tag);
		}
		tag++;
		take_ready(&k);
		take_ready(&e);
	}
	reap_both(&k, &e);
	compare(&k, &e);
	/* A write whose CQE was skipped may still run in the kernel's
	 * workers: the files must be equal within a second. */
	for (int tries = 0;; tries++) {
		ssize_t nk = pread(k.memfd, fk, sizeof(fk), 0), ne = pread(e.memfd, fe, sizeof(fe), 0);

		if (nk == ne && nk >= 0 && memcmp(fk, fe, (size_t) nk) == 0)
			break;
		if (tries == 1000)
			BUG("the files differ");
		usleep(1000);
	}
	io_uring_queue_exit(&k.ring);
	io_uring_queue_exit(&e.ring);
	close(k.memfd);
	close(e.memfd);
}
