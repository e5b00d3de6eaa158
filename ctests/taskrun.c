/* The task-run setup flags and what the library must do about them:
 * DEFER_TASKRUN holds completions until the ring is entered with
 * GETEVENTS; TASKRUN_FLAG raises IORING_SQ_TASKRUN so peek calls know to
 * enter; SINGLE_ISSUER refuses other threads. COOP_TASKRUN is in
 * coop_taskrun.c. */
#include <pthread.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

static struct __kernel_timespec ts20 = { .tv_nsec = 20000000 };

static unsigned sq_kflags(struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->sq.kflags);
}

static void arm_timeout(struct io_uring *ring, __u64 data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_timeout(sqe, &ts20, 0, 0);
	io_uring_sqe_set_data64(sqe, data);
	CHECK_EQ(io_uring_submit(ring), 1);
}

static void expect_timeout_cqe(struct io_uring_cqe *cqe, __u64 data)
{
	CHECK(cqe != NULL);
	CHECK_EQ(cqe->user_data, data);
	CHECK_EQ(cqe->res, -ETIME);
}

/* Submits a NOP from another thread; returns what io_uring_submit said. */
static void *foreign_submit(void *arg)
{
	struct io_uring *ring = arg;

	queue_nops(ring, 1, 999);
	return (void *) (intptr_t) io_uring_submit(ring);
}

static int submit_from_thread(struct io_uring *ring)
{
	pthread_t t;
	void *ret;

	CHECK_EQ(pthread_create(&t, NULL, foreign_submit, ring), 0);
	CHECK_EQ(pthread_join(t, &ret), 0);
	return (int) (intptr_t) ret;
}

/* Drops an SQE a refused submit left in the SQ. */
static void drop_unsubmitted(struct io_uring *ring)
{
	ring->sq.sqe_tail = ring->sq.sqe_head = *ring->sq.khead;
	io_uring_smp_store_release(ring->sq.ktail, ring->sq.sqe_tail);
}

static void defer_taskrun(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	RING_INIT(&ring, 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	nop_roundtrip(&ring, 1);

	/* The expired timeout waits in the kernel until we ask. */
	arm_timeout(&ring, 2);
	sleep_ms(60);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK(!(sq_kflags(&ring) & IORING_SQ_TASKRUN));
	CHECK_EQ(io_uring_get_events(&ring), 0);
	CHECK_EQ(io_uring_cq_ready(&ring), 1);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	expect_timeout_cqe(cqe, 2);
	io_uring_cqe_seen(&ring, cqe);

	/* wait_cqe enters with GETEVENTS and runs it. */
	arm_timeout(&ring, 3);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	expect_timeout_cqe(cqe, 3);
	io_uring_cqe_seen(&ring, cqe);

	/* submit_and_get_events flushes it along with a new submission. */
	arm_timeout(&ring, 4);
	sleep_ms(60);
	queue_nops(&ring, 1, 5);
	CHECK_EQ(io_uring_submit_and_get_events(&ring), 1);
	CHECK_EQ(io_uring_cq_ready(&ring), 2);
	io_uring_cq_advance(&ring, 2);

	/* Only the creating thread may submit. */
	CHECK_EQ(submit_from_thread(&ring), -EEXIST);
	drop_unsubmitted(&ring);
	nop_roundtrip(&ring, 6);
	io_uring_queue_exit(&ring);
}

/* With TASKRUN_FLAG the kernel flags pending work, and peek_cqe and
 * peek_batch_cqe must enter to run it. */
static void defer_taskrun_flag(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe, *cqes[4];

	RING_INIT(&ring, 8, IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
	arm_timeout(&ring, 10);
	sleep_ms(60);
	CHECK(sq_kflags(&ring) & IORING_SQ_TASKRUN);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	expect_timeout_cqe(cqe, 10);
	io_uring_cqe_seen(&ring, cqe);
	CHECK(!(sq_kflags(&ring) & IORING_SQ_TASKRUN));

	arm_timeout(&ring, 11);
	sleep_ms(60);
	CHECK(sq_kflags(&ring) & IORING_SQ_TASKRUN);
	CHECK_EQ(io_uring_peek_batch_cqe(&ring, cqes, 4), 1);
	expect_timeout_cqe(cqes[0], 11);
	io_uring_cq_advance(&ring, 1);

	arm_timeout(&ring, 12);
	sleep_ms(60);
	CHECK(sq_kflags(&ring) & IORING_SQ_TASKRUN);
	CHECK_EQ(__io_uring_get_cqe(&ring, &cqe, 0, 0, NULL), 0);
	expect_timeout_cqe(cqe, 12);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

static void single_issuer(void)
{
	struct io_uring ring;

	RING_INIT(&ring, 8, IORING_SETUP_SINGLE_ISSUER);
	nop_roundtrip(&ring, 30);
	CHECK_EQ(submit_from_thread(&ring), -EEXIST);
	drop_unsubmitted(&ring);
	nop_roundtrip(&ring, 31);
	io_uring_queue_exit(&ring);

	/* Without the flag any thread may submit. */
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(submit_from_thread(&ring), 1);
	CHECK_EQ(io_uring_cq_ready(&ring), 1);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	defer_taskrun();
	defer_taskrun_flag();
	single_issuer();
	return 0;
}
