/* MSG_RING into an emulated ring whose thread tears it down as soon as
 * the message lands: the sender must be done with the target ring before
 * its teardown unmaps it, as the kernel's file reference ensures. The
 * sender once touched the target after posting, and crashed in about a
 * third of upstream's msg-ring-fd runs; many rounds make the window show. */
#include <liburing.h>
#include <liburing/rs.h>
#include <pthread.h>
#include "harness.h"

#define ROUNDS 300

struct target {
	pthread_barrier_t ready;
	int ring_fd;
};

/* Sets up a ring, waits for one message on it and tears it down at once. */
static void *receiver(void *arg)
{
	struct target *t = arg;
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	t->ring_fd = ring.ring_fd;
	pthread_barrier_wait(&t->ready);
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 42);
	CHECK_EQ(cqe->res, 7);
	io_uring_queue_exit(&ring);
	return NULL;
}

int main(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;

	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	for (int i = 0; i < ROUNDS; i++) {
		struct target t;
		pthread_t th;

		pthread_barrier_init(&t.ready, NULL, 2);
		CHECK_EQ(pthread_create(&th, NULL, receiver, &t), 0);
		pthread_barrier_wait(&t.ready);
		io_uring_prep_msg_ring(io_uring_get_sqe(&ring), t.ring_fd, 7, 42, 0);
		CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
		CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
		CHECK_EQ(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
		pthread_join(th, NULL);
		pthread_barrier_destroy(&t.ready);
	}
	io_uring_queue_exit(&ring);
	return 0;
}
