/* io_uring_ring_dontfork: a child forked afterwards does not inherit the
 * ring's mappings (checked in /proc/<child>/maps), and the parent's ring
 * keeps working. Without it, the child does inherit them. */
#include <sys/wait.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

/* Whether /proc/<pid>/maps has a mapping covering `addr`. */
static int maps_cover(const char *pid, const void *addr)
{
	char path[64], line[512];
	unsigned long a = (unsigned long) addr, lo, hi;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "r");
	CHECK(f != NULL);
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi;
	fclose(f);
	return found;
}

/* Forks a child that only waits to be told to exit, and returns how many
 * of the ring's mappings (io_uring ones, and those holding the SQEs and
 * the CQ ring) the child has. */
static int child_ring_maps(const struct io_uring *ring)
{
	int go[2], n;
	char pid[16];
	pid_t child;
	int status;

	CHECK_EQ(pipe(go), 0);
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		char c;

		close(go[1]);
		_exit(read(go[0], &c, 1) == 0 ? 0 : 1);
	}
	close(go[0]);
	snprintf(pid, sizeof(pid), "%d", (int) child);
	n = count_maps_of(pid, "[io_uring]") + maps_cover(pid, ring->sq.sqes) + maps_cover(pid, ring->cq.cqes);
	close(go[1]);
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return n;
}

int main(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	int mine;

	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	mine = count_maps_of("self", "[io_uring]");
	CHECK(mine >= 2);	/* the rings and the SQEs */
	CHECK_EQ(child_ring_maps(&ring), mine + 2);

	CHECK_EQ(io_uring_ring_dontfork(&ring), 0);
	CHECK_EQ(child_ring_maps(&ring), 0);
	CHECK_EQ(count_maps_of("self", "[io_uring]"), mine);
	for (int i = 0; i < 10; i++)
		nop_roundtrip(&ring, i);
	io_uring_queue_exit(&ring);
	CHECK_EQ(count_maps_of("self", "[io_uring]"), 0);

	/* Rings in the library's own memory (NO_MMAP) can be kept out too. */
	if (!HAVE_SETUP_FLAGS(IORING_SETUP_NO_MMAP))
		return 0;
	CHECK(io_uring_queue_init_mem(8, &ring, &p, NULL, 0) > 0);
	CHECK_EQ(child_ring_maps(&ring), 2);
	CHECK_EQ(io_uring_ring_dontfork(&ring), 0);
	CHECK_EQ(child_ring_maps(&ring), 0);
	nop_roundtrip(&ring, 20);
	io_uring_queue_exit(&ring);
	return 0;
}
