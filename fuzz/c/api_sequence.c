/* The `api_sequence` fuzz target: the input is a program of liburing calls
 * on a real ring, one byte per call (plus argument bytes), all with safe
 * arguments: NOPs, short timeouts, reads and writes inside a memfd, submits,
 * bounded waits, peeks, CQ advances by what was peeked, small file and
 * buffer tables, probes, and bad input from docs/bad-input.md (NULL
 * pointers, a zeroed and an exited ring). A model tracks what the ring must
 * hold: SQEs prepared but not submitted (= sq_ready), requests in flight,
 * and which tags have completed. Any disagreement aborts, which libFuzzer
 * reports as a crash. At the end every request must complete exactly once
 * within a bounded wait. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <liburing.h>

#define MAX_TAGS 512

struct model {
	struct io_uring ring;
	unsigned sq_entries, cq_entries;
	unsigned pending;	/* prepared, not yet submitted */
	unsigned inflight;	/* submitted, CQE not yet consumed */
	unsigned next_tag;
	unsigned char state[MAX_TAGS];	/* 0 unused, 1 prepared/in flight, 2 done */
	unsigned char is_timeout[MAX_TAGS];
	unsigned timeouts;	/* timeout requests prepared or in flight */
	int memfd;
	char buf[2][512];
	const uint8_t *in;
	size_t len;
};

#define BUG(...) do { \
	fprintf(stderr, "api_sequence: " __VA_ARGS__); fputc('\n', stderr); abort(); \
} while (0)
#define EXPECT(cond) do { if (!(cond)) BUG("line %d: %s", __LINE__, #cond); } while (0)

static unsigned byte(struct model *m)
{
	if (!m->len)
		return 0;
	m->len--;
	return *m->in++;
}

static void check_counts(struct model *m)
{
	unsigned ready = io_uring_cq_ready(&m->ring);

	EXPECT(io_uring_sq_ready(&m->ring) == m->pending);
	EXPECT(io_uring_sq_space_left(&m->ring) == m->sq_entries - m->pending);
	EXPECT(ready <= m->cq_entries);
	EXPECT(ready <= m->inflight);
}

/* Accounts for one CQE the library handed out. */
static void consume(struct model *m, const struct io_uring_cqe *cqe)
{
	__u64 tag = cqe->user_data;

	if (tag >= MAX_TAGS || m->state[tag] != 1)
		BUG("CQE tagged %llu (res %d) was not in flight", (unsigned long long) tag, cqe->res);
	m->state[tag] = 2;
	if (m->is_timeout[tag])
		m->timeouts--;
	EXPECT(m->inflight > 0);
	m->inflight--;
}

/* Gets an SQE and tags it, or checks the SQ really is full. */
static struct io_uring_sqe *sqe_for(struct model *m)
{
	struct io_uring_sqe *sqe;

	if (m->next_tag >= MAX_TAGS)
		return NULL;
	sqe = io_uring_get_sqe(&m->ring);
	if (!sqe) {
		EXPECT(m->pending == m->sq_entries);
		return NULL;
	}
	EXPECT(m->pending < m->sq_entries);
	m->pending++;
	m->state[m->next_tag] = 1;
	io_uring_sqe_set_data64(sqe, m->next_tag++);
	return sqe;
}

static void submitted(struct model *m, int ret)
{
	if (ret < 0)
		BUG("submit failed: %d", ret);
	/* Without SQPOLL, a submit hands the kernel everything prepared. */
	EXPECT((unsigned) ret == m->pending);
	m->inflight += m->pending;
	m->pending = 0;
}

static void bad_input(struct model *m, unsigned which)
{
	struct io_uring zeroed, exited;
	struct io_uring_cqe *cqe = (void *) 1;

	switch (which % 4) {
	case 0:
		EXPECT(io_uring_get_sqe(NULL) == NULL);
		EXPECT(io_uring_submit(NULL) == -EFAULT);
		EXPECT(io_uring_peek_cqe(NULL, &cqe) == -EFAULT && cqe == NULL);
		EXPECT(io_uring_cq_ready(NULL) == 0);
		io_uring_cq_advance(NULL, 1);
		io_uring_prep_nop(NULL);
		break;
	case 1:
		memset(&zeroed, 0, sizeof(zeroed));
		EXPECT(io_uring_get_sqe(&zeroed) == NULL);
		EXPECT(io_uring_submit_and_wait(&zeroed, 1) == -EBADF);
		EXPECT(io_uring_wait_cqe(&zeroed, &cqe) == -EBADF && cqe == NULL);
		io_uring_queue_exit(&zeroed);
		break;
	case 2:
		if (io_uring_queue_init(2, &exited, 0) != 0)
			return;
		io_uring_queue_exit(&exited);
		EXPECT(io_uring_get_sqe(&exited) == NULL);
		EXPECT(io_uring_register_files_sparse(&exited, 1) == -EBADF);
		io_uring_queue_exit(&exited);
		break;
	default:
		/* NULL out-pointers on the live ring consume nothing. */
		EXPECT(io_uring_peek_cqe(&m->ring, NULL) == -EFAULT);
		EXPECT(io_uring_peek_batch_cqe(&m->ring, NULL, 4) == 0);
		io_uring_cqe_seen(&m->ring, NULL);
		break;
	}
}

static void step(struct model *m, unsigned op)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe, *cqes[16];
	static struct __kernel_timespec tss[4] = {
		{ .tv_nsec = 0 }, { .tv_nsec = 1000 }, { .tv_nsec = 100000 }, { .tv_nsec = 1000000 },
	};
	int ret;

	switch (op % 16) {
	case 0: case 1:
		if ((sqe = sqe_for(m)))
			io_uring_prep_nop(sqe);
		break;
	case 2:
		if ((sqe = sqe_for(m))) {
			io_uring_prep_timeout(sqe, &tss[byte(m) % 4], 0, 0);
			m->is_timeout[m->next_tag - 1] = 1;
			m->timeouts++;
		}
		break;
	case 3: {
		unsigned off = byte(m) * 8 % 4096, n = byte(m) * 2 + 1;
		int w = byte(m) & 1;

		if ((sqe = sqe_for(m))) {
			if (w)
				io_uring_prep_write(sqe, m->memfd, m->buf[0], n, off);
			else
				io_uring_prep_read(sqe, m->memfd, m->buf[1], n, off);
		}
		break;
	}
	case 4: case 5:
		submitted(m, io_uring_submit(&m->ring));
		break;
	case 6: {
		/* Wait only for what is sure to come: every request completes,
		 * but no more than the CQ holds can be ready at once. */
		unsigned most = m->inflight + m->pending, nr;
		int early;

		if (most > m->cq_entries)
			most = m->cq_entries;
		nr = byte(m) % (most + 1);
		early = m->timeouts > 0;
		submitted(m, io_uring_submit_and_wait(&m->ring, nr));
		/* The wait holds only when no timeout request can fire during
		 * it: the kernel cuts a wait short for the timer's task work
		 * (and on 6.18 with DEFER_TASKRUN before its CQE is posted),
		 * and an enter that also submitted reports the submit count,
		 * not that. liburing behaves the same: one enter, no retry. */
		EXPECT(early || io_uring_cq_ready(&m->ring) >= nr);
		break;
	}
	case 7: case 8:
		ret = io_uring_peek_cqe(&m->ring, &cqe);
		if (ret == 0) {
			consume(m, cqe);
			io_uring_cqe_seen(&m->ring, cqe);
		} else {
			EXPECT(ret == -EAGAIN && cqe == NULL);
		}
		break;
	case 9:
		ret = io_uring_wait_cqe_timeout(&m->ring, &cqe, &tss[byte(m) % 3]);
		if (ret == 0) {
			consume(m, cqe);
			io_uring_cqe_seen(&m->ring, cqe);
		} else {
			EXPECT((ret == -ETIME || ret == -EAGAIN) && cqe == NULL);
		}
		break;
	case 10: {
		unsigned want = byte(m) % 17, got = io_uring_peek_batch_cqe(&m->ring, cqes, want);

		EXPECT(got <= want);
		for (unsigned i = 0; i < got; i++)
			consume(m, cqes[i]);
		io_uring_cq_advance(&m->ring, got);
		break;
	}
	case 11: {
		int fds[3] = { m->memfd, -1, m->memfd };
		unsigned nr = byte(m) % 3 + 1;

		EXPECT(io_uring_register_files(&m->ring, fds, nr) == 0);
		EXPECT(io_uring_register_files(&m->ring, fds, nr) == -EBUSY);
		EXPECT(io_uring_register_files_update(&m->ring, nr, fds, 1) == -EINVAL);
		EXPECT(io_uring_unregister_files(&m->ring) == 0);
		break;
	}
	case 12: {
		struct iovec iov[2] = { { m->buf[0], 512 }, { m->buf[1], byte(m) + 1 } };
		unsigned nr = byte(m) % 2 + 1;

		EXPECT(io_uring_register_buffers(&m->ring, iov, nr) == 0);
		EXPECT(io_uring_register_buffers_update_tag(&m->ring, nr, iov, NULL, 1) == -EINVAL);
		EXPECT(io_uring_unregister_buffers(&m->ring) == 0);
		break;
	}
	case 13: {
		struct io_uring_probe *p = io_uring_get_probe_ring(&m->ring);

		EXPECT(p != NULL);
		EXPECT(io_uring_opcode_supported(p, IORING_OP_NOP));
		EXPECT(!io_uring_opcode_supported(p, (int) byte(m) + 256));
		io_uring_free_probe(p);
		break;
	}
	case 14: {
		/* Walk the ready CQEs with the iterator, consuming them all. */
		struct io_uring_cqe_iter it = io_uring_cqe_iter_init(&m->ring);
		unsigned n = 0;

		while (io_uring_cqe_iter_next(&it, &cqe)) {
			consume(m, cqe);
			n++;
		}
		io_uring_cq_advance(&m->ring, n);
		break;
	}
	default:
		bad_input(m, byte(m));
		break;
	}
	check_counts(m);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Submits what is left and reaps every request within 2 s. A timed wait
 * is retried until then: on 6.18 with DEFER_TASKRUN the kernel can end a
 * wait with -ETIME early, when a timeout request expires during it (the
 * CQE comes with the next wait; liburing sees the same). */
static void drain(struct model *m)
{
	struct __kernel_timespec ts = { .tv_nsec = 100000000 };
	struct io_uring_cqe *cqe;
	long long deadline = now_ms() + 2000;

	if (m->pending)
		submitted(m, io_uring_submit(&m->ring));
	while (m->inflight) {
		int ret = io_uring_wait_cqe_timeout(&m->ring, &cqe, &ts);

		if (ret == -ETIME) {
			if (now_ms() > deadline)
				BUG("%u requests never completed", m->inflight);
			continue;
		}
		EXPECT(ret == 0);
		consume(m, cqe);
		io_uring_cqe_seen(&m->ring, cqe);
	}
	EXPECT(io_uring_cq_ready(&m->ring) == 0);
	for (unsigned t = 0; t < m->next_tag; t++)
		if (m->state[t] != 2)
			BUG("tag %u never completed", t);
}

void fuzz_api_sequence(const uint8_t *data, size_t len)
{
	static struct model m;
	struct io_uring_params p;
	unsigned setup;

	if (len < 1)
		return;
	memset(&m, 0, sizeof(m));
	m.in = data;
	m.len = len;
	setup = byte(&m);
	memset(&p, 0, sizeof(p));
	/* 1 to 16 SQ entries; sometimes a CQ no bigger than the SQ, so it
	 * overflows; sometimes a ring that reaps only when asked. */
	if (setup & 0x10) {
		p.flags |= IORING_SETUP_CQSIZE;
		p.cq_entries = 1u << (setup % 5);
	}
	if (setup & 0x20)
		p.flags |= IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	if (io_uring_queue_init_params(1u << (setup % 5), &m.ring, &p) != 0)
		BUG("queue_init_params failed");
	m.sq_entries = m.ring.sq.ring_entries;
	m.cq_entries = m.ring.cq.ring_entries;
	m.memfd = memfd_create("fuzz", 0);
	EXPECT(m.memfd >= 0);
	EXPECT(ftruncate(m.memfd, 4096) == 0);
	while (m.len)
		step(&m, byte(&m));
	drain(&m);
	io_uring_queue_exit(&m.ring);
	/* Exiting twice is harmless. */
	io_uring_queue_exit(&m.ring);
	close(m.memfd);
}
