/* SQPOLL: the kernel thread consumes SQEs on its own, goes to sleep after
 * sq_thread_idle, and the library must wake it (IORING_ENTER_SQ_WAKEUP)
 * when it submits to a sleeping thread. Also SQ_AFF, sqring_wait, and
 * ATTACH_WQ sharing one poller thread. */
#include <liburing.h>
#include <sched.h>
#include "helpers.h"
#include "kernel.h"
#include "tasks.h"

/* Where sqpoll_threads stores the last poller's tid. */
struct poller_tid {
	char *tid;
	size_t len;
};

static long is_poller(const char *tid, void *arg)
{
	struct poller_tid *p = arg;
	char name[64];

	if (!task_status(tid, "Name", name, sizeof(name)) || strncmp(name, "iou-sqp-", 8) != 0)
		return 0;
	if (p->tid && strlen(tid) < p->len)
		strcpy(p->tid, tid);
	return 1;
}

/* Counts this process's SQPOLL threads (named iou-sqp-<pid>); stores the
 * last one's tid in `tid` when not NULL. */
static int sqpoll_threads(char *tid, size_t len)
{
	struct poller_tid p = { tid, len };

	return each_task(is_poller, &p);
}

/* Polls (for at most 2 s) until `cond` holds. */
#define WAIT_UNTIL(cond) do { \
	long long end_ = now_ns() + 2000000000LL; \
	while (!(cond)) { \
		if (now_ns() > end_) FAIL("timed out waiting for %s", #cond); \
		sleep_ms(1); \
	} \
} while (0)

static unsigned sq_kflags(struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->sq.kflags);
}

/* Waits for one CQE tagged `data`, bounded so a missed wakeup fails. */
static void expect_cqe(struct io_uring *ring, __u64 data)
{
	struct __kernel_timespec ts = { .tv_sec = 2 };
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret == -ETIME)
		FAIL("no completion for %llu: the poller was not woken", (unsigned long long) data);
	CHECK_EQ(ret, 0);
	CHECK_EQ(cqe->user_data, data);
	CHECK_EQ(cqe->res, 0);
	io_uring_cqe_seen(ring, cqe);
}

/* The poller falls asleep after 10 ms idle; each submit must wake it. */
static void idle_and_wakeup(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 10 };

	ring_init_params(&ring, 8, &p, "IORING_SETUP_SQPOLL");
	CHECK(ring.flags & IORING_SETUP_SQPOLL);
	nop_roundtrip(&ring, 1);
	for (int i = 0; i < 6; i++) {
		WAIT_UNTIL(sq_kflags(&ring) & IORING_SQ_NEED_WAKEUP);
		queue_nops(&ring, 1, 100 + i);
		CHECK_EQ(io_uring_submit(&ring), 1);
		expect_cqe(&ring, 100 + i);
	}
	/* The poller consumed everything, so nothing is left to submit. */
	CHECK_EQ(io_uring_sq_ready(&ring), 0);
	CHECK_EQ(io_uring_sq_space_left(&ring), 8);
	/* wait_cqe and submit_and_wait on a sleeping poller. */
	WAIT_UNTIL(sq_kflags(&ring) & IORING_SQ_NEED_WAKEUP);
	queue_nops(&ring, 1, 200);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
	expect_cqe(&ring, 200);
	io_uring_queue_exit(&ring);
}

/* While the poller is awake (within sq_thread_idle of its last work), a
 * submit does not enter: the poller alone takes the SQE, and its CQE
 * appears with no system call from us. */
static void polls_without_enter(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 5000 };

	ring_init_params(&ring, 8, &p, "IORING_SETUP_SQPOLL");
	nop_roundtrip(&ring, 7);
	CHECK(!(sq_kflags(&ring) & IORING_SQ_NEED_WAKEUP));
	queue_nops(&ring, 1, 8);
	CHECK_EQ(io_uring_submit(&ring), 1);
	WAIT_UNTIL(io_uring_cq_ready(&ring) == 1);
	expect_cqe(&ring, 8);
	io_uring_queue_exit(&ring);
}

/* SQ_AFF pins the poller to sq_thread_cpu. */
static void affinity(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, .sq_thread_idle = 10 };
	cpu_set_t set;
	char tid[32], cpus[64], want[16];
	int cpu = -1;

	CHECK_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
	for (int i = CPU_SETSIZE - 1; i >= 0 && cpu < 0; i--)
		if (CPU_ISSET(i, &set))
			cpu = i;
	CHECK(cpu >= 0);
	p.sq_thread_cpu = cpu;
	ring_init_params(&ring, 8, &p, "IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF");
	nop_roundtrip(&ring, 2);
	WAIT_UNTIL(sqpoll_threads(tid, sizeof(tid)) == 1);
	CHECK(task_status(tid, "Cpus_allowed_list", cpus, sizeof(cpus)));
	snprintf(want, sizeof(want), "%d", cpu);
	if (strcmp(cpus, want) != 0)
		FAIL("poller %s runs on CPUs %s, asked for %s", tid, cpus, want);
	io_uring_queue_exit(&ring);
	/* An impossible CPU is refused. */
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, .sq_thread_cpu = 100000 };
	CHECK_EQ(io_uring_queue_init_params(8, &ring, &p), -EINVAL);
}

/* Many more NOPs than SQ slots: when the SQ is full, submit and let
 * io_uring_sqring_wait sleep until the poller frees a slot. This runs
 * first: the kernel cuts the wait short when task work is queued to us,
 * as the asynchronous teardown of a ring exited earlier does. */
static void sqring_wait(void)
{
	enum { N = 200 };
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE, .sq_thread_idle = 10, .cq_entries = 256 };
	static unsigned char seen[N];
	struct io_uring_cqe *cqe;
	unsigned got = 0;

	ring_init_params(&ring, 4, &p, "IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE");
	/* Not full: returns at once, in both forms. */
	CHECK_EQ(io_uring_sqring_wait(&ring), 0);
	CHECK_EQ(__io_uring_sqring_wait(&ring), 0);
	for (unsigned i = 0; i < N; i++) {
		struct io_uring_sqe *sqe;

		/* No check of io_uring_sq_space_left here: the poller may
		 * free slots between the two reads. */
		while ((sqe = io_uring_get_sqe(&ring)) == NULL) {
			CHECK(io_uring_submit(&ring) >= 0);
			/* Some kernels (Debian's 5.10) end the wait early when task
			 * work is queued to us; the loop then waits again. */
			CHECK_EQ(io_uring_sqring_wait(&ring), 0);
		}
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, i);
	}
	CHECK(io_uring_submit(&ring) >= 0);
	while (got < N) {
		struct __kernel_timespec ts = { .tv_sec = 2 };

		CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), 0);
		CHECK(cqe->user_data < N);
		CHECK_EQ(seen[cqe->user_data], 0);
		seen[cqe->user_data] = 1;
		io_uring_cqe_seen(&ring, cqe);
		got++;
	}
	CHECK(!io_uring_cq_has_overflow(&ring));
	io_uring_queue_exit(&ring);
}

/* ATTACH_WQ on SQPOLL rings shares one poller thread between them. */
static void shared_poller(void)
{
	struct io_uring a, b, b2, c;
	struct io_uring_params p, raw = { .flags = IORING_SETUP_SQPOLL };
	int raw_fd, before;

	/* Pollers of rings exited above go away asynchronously. */
	WAIT_UNTIL(sqpoll_threads(NULL, 0) == 0);
	/* The kernel is asked about ATTACH_WQ with a raw SQPOLL ring of its
	 * own: `a` may be emulated, and its fd then means nothing to it. */
	before = threads();
	raw_fd = raw_setup(8, &raw);
	CHECK(raw_fd >= 0);
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ, .wq_fd = raw_fd };
	need_setup(8, &p, "IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ");
	close(raw_fd);
	/* Its poller is gone, whether it had named itself iou-sqp yet or not
	 * (a new poller carries our name until it runs): counting by name
	 * alone, it could show up later. */
	WAIT_UNTIL(threads() <= before);
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 10 };
	ring_init_params(&a, 8, &p, "IORING_SETUP_SQPOLL");
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ, .wq_fd = a.ring_fd };
	CHECK_EQ(io_uring_queue_init_params(8, &b, &p), 0);
	/* A poller that served a NOP has named itself. */
	nop_roundtrip(&a, 3);
	nop_roundtrip(&b, 4);
	CHECK_EQ(sqpoll_threads(NULL, 0), 1);
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL };
	CHECK_EQ(io_uring_queue_init_params(8, &c, &p), 0);
	nop_roundtrip(&c, 5);
	CHECK_EQ(sqpoll_threads(NULL, 0), 2);
	io_uring_queue_exit(&c);
	/* A ring without a poller has none to share. */
	CHECK_EQ(io_uring_queue_init(8, &c, 0), 0);
	p = (struct io_uring_params) { .flags = IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ, .wq_fd = c.ring_fd };
	CHECK_EQ(io_uring_queue_init_params(8, &b2, &p), -EINVAL);
	io_uring_queue_exit(&c);
	io_uring_queue_exit(&b);
	io_uring_queue_exit(&a);
}

int main(void)
{
	sqring_wait();
	idle_and_wakeup();
	polls_without_enter();
	affinity();
	shared_poller();
	return 0;
}
