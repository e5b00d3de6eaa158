/* IORING_SETUP_R_DISABLED: the ring refuses every io_uring_enter
 * (-EBADFD) until IORING_REGISTER_ENABLE_RINGS; SQEs queued meanwhile go
 * in on the first submit after. With SINGLE_ISSUER, the enabling thread
 * becomes the ring's only submitter. */
#include <pthread.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

static int enable(struct io_uring *ring)
{
	return io_uring_register(ring->ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
}

static void disabled_then_enabled(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { .tv_nsec = 10000000 };

	RING_INIT(&ring, 8, IORING_SETUP_R_DISABLED);
	CHECK(ring.flags & IORING_SETUP_R_DISABLED);
	queue_nops(&ring, 2, 1);
	CHECK_EQ(io_uring_submit(&ring), -EBADFD);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 1), -EBADFD);
	CHECK_EQ(io_uring_get_events(&ring), -EBADFD);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -EBADFD);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	/* Registration still works while disabled. */
	{
		struct io_uring_probe *p = io_uring_get_probe_ring(&ring);

		CHECK(p != NULL);
		io_uring_free_probe(p);
	}

	CHECK_EQ(enable(&ring), 0);
	CHECK_EQ(enable(&ring), -EBADFD);	/* only once */
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 1);
	io_uring_cqe_seen(&ring, cqe);
	CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 2);
	io_uring_cqe_seen(&ring, cqe);
	nop_roundtrip(&ring, 3);
	io_uring_queue_exit(&ring);
}

/* With SQPOLL, submitting only publishes the SQEs (no poller yet, so no
 * reason to enter); the poller starts with the ring and picks them up. If
 * the parked poller has already flagged NEED_WAKEUP, submit enters, as
 * liburing does, and the disabled ring answers -EBADFD; the SQE stays
 * published either way. */
static void sqpoll(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED | IORING_SETUP_SQPOLL, .sq_thread_idle = 1000 };
	struct __kernel_timespec ts = { .tv_sec = 2 };
	struct io_uring_cqe *cqe;

	ring_init_params(&ring, 8, &p, "IORING_SETUP_R_DISABLED | IORING_SETUP_SQPOLL");
	queue_nops(&ring, 1, 20);
	int ret = io_uring_submit(&ring);
	CHECK(ret == 1 || ret == -EBADFD);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(enable(&ring), 0);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), 0);
	CHECK_EQ(cqe->user_data, 20);
	io_uring_cqe_seen(&ring, cqe);
	nop_roundtrip(&ring, 21);
	io_uring_queue_exit(&ring);
}

static void *enable_and_use(void *arg)
{
	struct io_uring *ring = arg;

	CHECK_EQ(enable(ring), 0);
	nop_roundtrip(ring, 10);
	return NULL;
}

static void single_issuer(void)
{
	struct io_uring ring;
	pthread_t t;

	if (!RING_TRY(&ring, 8, IORING_SETUP_R_DISABLED | IORING_SETUP_SINGLE_ISSUER))
		return;
	CHECK_EQ(pthread_create(&t, NULL, enable_and_use, &ring), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	/* The creating thread is now the foreign one. */
	queue_nops(&ring, 1, 11);
	CHECK_EQ(io_uring_submit(&ring), -EEXIST);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	disabled_then_enabled();
	sqpoll();
	single_issuer();
	return 0;
}
