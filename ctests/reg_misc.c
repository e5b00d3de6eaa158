/* io-wq affinity (seen on the worker thread) and worker limits (previous
 * values returned, the limit holding work back), NAPI settings read back,
 * and kernel queries consistent with the probe. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"
#include "tasks.h"

/* What worker_cpus looks for, and where it puts the answer. */
struct worker_cpus {
	char want[32];
	char *out;
	size_t len;
};

static long worker_cpus_of(const char *tid, void *arg)
{
	struct worker_cpus *w = arg;
	char name[64];

	if (w->out[0] || !task_status(tid, "Name", name, sizeof(name)) || strcmp(name, w->want) != 0)
		return 0;
	return task_status(tid, "Cpus_allowed_list", w->out, w->len);
}

/* Cpus_allowed_list of the io-wq worker serving thread `tid`, or "" when
 * there is none. */
static void worker_cpus(pid_t tid, char *out, size_t len)
{
	struct worker_cpus w = { .out = out, .len = len };

	snprintf(w.want, sizeof(w.want), "iou-wrk-%d", (int) tid);
	out[0] = 0;
	each_task(worker_cpus_of, &w);
}

/* Opens FIFO `path` for reading in an io-wq worker (IOSQE_ASYNC), where
 * it blocks until a writer shows up. (Inline, the kernel would open it
 * non-blocking and succeed at once.) */
static void fifo_open(struct io_uring *ring, const char *path, __u64 user_data)
{
	struct io_uring_sqe *sqe = sqe_op(ring, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, user_data);

	sqe->open_flags = O_RDONLY;
	sqe->flags |= IOSQE_ASYNC;
	CHECK_EQ(io_uring_submit(ring), 1);
}

/* In a thread of its own (io-wq is per thread): pins the workers to CPU 0
 * (then unpins them first when `unpin`), starts a worker with a blocking
 * open of a FIFO, and reports the worker's CPU list. */
struct aff_run {
	int unpin;
	char cpus[32];
};

static void *aff_thread(void *arg)
{
	struct aff_run *run = arg;
	struct io_uring ring;
	cpu_set_t set;
	char fifo[64] = "/tmp/reg_misc.fifo.XXXXXX";
	long long t0;

	CHECK(mkdtemp(fifo) != NULL);
	strcat(fifo, "/f");
	CHECK_EQ(mkfifo(fifo, 0600), 0);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, sizeof(set), &set), 0);
	if (run->unpin)
		CHECK_EQ(io_uring_unregister_iowq_aff(&ring), 0);

	fifo_open(&ring, fifo, 1);
	t0 = now_ms();
	do {
		usleep(2000);
		worker_cpus(syscall(SYS_gettid), run->cpus, sizeof(run->cpus));
	} while (!run->cpus[0] && now_ms() - t0 < 2000);

	int w = open(fifo, O_WRONLY);
	CHECK(w >= 0);
	struct io_uring_cqe cqe = reap(&ring);
	CHECK(cqe.res >= 0);
	close(cqe.res);
	close(w);
	unlink(fifo);
	*strrchr(fifo, '/') = 0;
	rmdir(fifo);
	io_uring_queue_exit(&ring);
	return NULL;
}

static void iowq_affinity(void)
{
	struct io_uring ring;
	cpu_set_t online;
	pthread_t t;
	struct aff_run pinned = { 0 }, unpinned = { .unpin = 1 };

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, 1U << 31, &online), -EINVAL);
	CHECK_EQ(io_uring_register_iowq_aff(NULL, sizeof(online), &online), -EFAULT);
	io_uring_queue_exit(&ring);

	CHECK_EQ(sched_getaffinity(0, sizeof(online), &online), 0);
	CHECK_EQ(pthread_create(&t, NULL, aff_thread, &pinned), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(pinned.cpus[0]);
	CHECK(!strcmp(pinned.cpus, "0"));
	if (CPU_COUNT(&online) < 2 || !CPU_ISSET(0, &online))
		return;
	CHECK_EQ(pthread_create(&t, NULL, aff_thread, &unpinned), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK(unpinned.cpus[0]);
	CHECK(strcmp(unpinned.cpus, "0"));
}

/* Bounded-worker limit 1: two FIFO opens (bounded work) run one at a
 * time, so the second cannot complete while the first blocks. */
static void *max_workers_thread(void *arg)
{
	struct io_uring ring;
	unsigned vals[2] = { 0, 0 }, orig[2];
	char dir[] = "/tmp/reg_misc.max.XXXXXX", f1[64], f2[64];
	int w1, w2;
	(void) arg;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	/* 0s leave the limits alone and report them. */
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, vals), 0);
	CHECK(vals[0] > 0 && vals[1] > 0);
	orig[0] = vals[0];
	orig[1] = vals[1];
	vals[0] = 1;
	vals[1] = 3;
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, vals), 0);
	CHECK_EQ(vals[0], orig[0]);
	CHECK_EQ(vals[1], orig[1]);
	vals[0] = vals[1] = 0;
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, vals), 0);
	CHECK_EQ(vals[0], 1);
	CHECK_EQ(vals[1], 3);

	CHECK(mkdtemp(dir) != NULL);
	snprintf(f1, sizeof(f1), "%s/1", dir);
	snprintf(f2, sizeof(f2), "%s/2", dir);
	CHECK_EQ(mkfifo(f1, 0600), 0);
	CHECK_EQ(mkfifo(f2, 0600), 0);
	fifo_open(&ring, f1, 1);
	usleep(20000);
	fifo_open(&ring, f2, 2);
	/* A writer for the second FIFO: its open still waits for a worker. */
	w2 = open(f2, O_WRONLY | O_NONBLOCK);
	for (int i = 0; w2 < 0 && errno == ENXIO && i < 100; i++) {
		usleep(1000);
		w2 = open(f2, O_WRONLY | O_NONBLOCK);
	}
	CHECK(no_cqe_within(&ring, 100));
	CHECK(w2 < 0);
	/* Release the first: then both complete. */
	w1 = open(f1, O_WRONLY);
	CHECK(w1 >= 0);
	struct io_uring_cqe cqe = reap(&ring);
	CHECK_EQ(cqe.user_data, 1);
	close(cqe.res);
	w2 = -1;
	for (int i = 0; w2 < 0 && i < 1000; i++) {
		w2 = open(f2, O_WRONLY | O_NONBLOCK);
		if (w2 < 0)
			usleep(1000);
	}
	CHECK(w2 >= 0);
	cqe = reap(&ring);
	CHECK_EQ(cqe.user_data, 2);
	CHECK(cqe.res >= 0);
	close(cqe.res);
	close(w1);
	close(w2);
	unlink(f1);
	unlink(f2);
	rmdir(dir);
	CHECK_EQ(io_uring_register_iowq_max_workers(NULL, vals), -EFAULT);
	io_uring_queue_exit(&ring);
	return NULL;
}

static void iowq_max_workers(void)
{
	pthread_t t;

	CHECK_EQ(pthread_create(&t, NULL, max_workers_thread, NULL), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
}

static void napi(void)
{
	struct io_uring ring;
	struct io_uring_napi n = { .busy_poll_to = 100, .prefer_busy_poll = 1 }, out;
	int ret;

	out = n;
	if (!have_register(0, IORING_REGISTER_NAPI, &out, 1, "IORING_REGISTER_NAPI"))
		return;
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	ret = io_uring_register_napi(&ring, &n);
	CHECK_EQ(ret, 0);
	/* The previous settings come back: none. */
	CHECK_EQ(n.busy_poll_to, 0);
	CHECK_EQ(n.prefer_busy_poll, 0);
	memset(&out, 0, sizeof(out));
	CHECK_EQ(io_uring_unregister_napi(&ring, &out), 0);
	CHECK_EQ(out.busy_poll_to, 100);
	CHECK_EQ(out.prefer_busy_poll, 1);
	/* Off now: nothing to report. */
	memset(&out, 0xff, sizeof(out));
	CHECK_EQ(io_uring_unregister_napi(&ring, &out), 0);
	CHECK_EQ(out.busy_poll_to, 0);
	CHECK_EQ(io_uring_unregister_napi(&ring, NULL), 0);
	CHECK_EQ(io_uring_register_napi(NULL, &n), -EFAULT);
	io_uring_queue_exit(&ring);
}

static void query(void)
{
	struct io_uring ring;
	struct io_uring_query_opcode ops, junk;
	struct io_uring_query_hdr hdr, bad;
	struct io_uring_probe *probe;
	int ret;

	memset(&ops, 0, sizeof(ops));
	memset(&hdr, 0, sizeof(hdr));
	memset(&bad, 0, sizeof(bad));
	hdr.query_op = IO_URING_QUERY_OPCODES;
	hdr.query_data = (__u64) (uintptr_t) &ops;
	hdr.size = sizeof(ops);
	hdr.next_entry = (__u64) (uintptr_t) &bad;
	bad.query_op = 1000;
	bad.query_data = (__u64) (uintptr_t) &junk;
	bad.size = sizeof(junk);
	if (!HAVE_REGISTER(-1, IORING_REGISTER_QUERY, NULL, 0))
		return;
	ret = io_uring_register_query(&hdr);
	CHECK_EQ(ret, 0);
	CHECK_EQ(hdr.result, 0);
	CHECK(bad.result < 0);

	/* The answers agree with what a ring and a probe say. */
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	probe = io_uring_get_probe_ring(&ring);
	CHECK(probe != NULL);
	CHECK_EQ(ops.nr_request_opcodes, probe->last_op + 1);
	CHECK(ops.nr_register_opcodes > IORING_REGISTER_QUERY);
	CHECK_EQ(ring.features & ~ops.feature_flags, 0);
	CHECK(ops.ring_setup_flags & IORING_SETUP_DEFER_TASKRUN);
	CHECK(ops.enter_flags & IORING_ENTER_GETEVENTS);
	CHECK(ops.sqe_flags & IOSQE_BUFFER_SELECT);
	free(probe);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	iowq_affinity();
	iowq_max_workers();
	napi();
	query();
	return 0;
}
