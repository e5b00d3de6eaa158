/* fork(2): io_uring_ring_dontfork keeps the ring out of the child; and a
 * ring whose struct io_uring lives in MAP_SHARED memory, set up before
 * fork, is used by parent and child in turn, the way PostgreSQL does. */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>
#include "harness.h"

static void nop_roundtrip(struct io_uring *ring, __u64 tag)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	CHECK(sqe);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, tag);
	CHECK_EQ(io_uring_submit_and_wait(ring, 1), 1);
	CHECK_EQ(io_uring_wait_cqe(ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, tag);
	io_uring_cqe_seen(ring, cqe);
}

/* Whether any mapping of this process covers `addr`. */
static int mapped(void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long) addr;
	char line[512];
	int found = 0;

	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
			found = 1;
	fclose(f);
	return found;
}

static int wait_child(pid_t pid)
{
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void dontfork(void)
{
	struct io_uring ring;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	CHECK_EQ(io_uring_ring_dontfork(&ring), 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(mapped(ring.sq.ring_ptr) || mapped(ring.sq.sqes) ? 1 : 0);
	CHECK_EQ(wait_child(pid), 0);
	CHECK(mapped(ring.sq.ring_ptr));
	nop_roundtrip(&ring, 7);
	io_uring_queue_exit(&ring);
}

/* Parent and child take turns on one shared struct io_uring; a pipe in each
 * direction passes the turn. Then the child calls io_uring_queue_exit and
 * leaves, which must not take the ring from the parent. */
static void shared_struct(void)
{
	struct io_uring *ring = mmap(NULL, sizeof(*ring), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int to_child[2], to_parent[2];
	char token = 't';

	CHECK(ring != MAP_FAILED);
	CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
	CHECK_EQ(pipe(to_child), 0);
	CHECK_EQ(pipe(to_parent), 0);
	pid_t pid = fork();
	if (pid == 0) {
		for (int round = 0; round < 50; round++) {
			if (read(to_child[0], &token, 1) != 1)
				_exit(2);
			nop_roundtrip(ring, 1000 + round);
			if (write(to_parent[1], &token, 1) != 1)
				_exit(3);
		}
		/* The child leaves: its exit drops only its own mappings
		 * and fd, and the parent's ring goes on working. */
		io_uring_queue_exit(ring);
		_exit(0);
	}
	for (int round = 0; round < 50; round++) {
		nop_roundtrip(ring, round);
		CHECK_EQ(write(to_child[1], &token, 1), 1);
		CHECK_EQ(read(to_parent[0], &token, 1), 1);
	}
	CHECK_EQ(wait_child(pid), 0);
	/* Both sides advanced the same shared indexes: 100 SQEs, 100 CQEs. */
	CHECK_EQ(ring->sq.sqe_tail, 100);
	CHECK_EQ(*ring->cq.khead, 100);
	nop_roundtrip(ring, 5000);
	io_uring_queue_exit(ring);
	munmap(ring, sizeof(*ring));
}

int main(void)
{
	dontfork();
	shared_struct();
	return 0;
}
