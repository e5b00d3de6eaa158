/*
 * io_uring_queue_mmap as on a kernel without IORING_FEAT_SINGLE_MMAP
 * (before 5.4): the bit is cleared from the params of a raw io_uring_setup,
 * so the SQ and CQ rings are mapped separately. The ring must work, and
 * io_uring_queue_exit must unmap all three mappings and close the fd.
 * ctests/run-old_mmap.sh also runs it on Debian's liburing (old_kernel.h).
 */
#include <fcntl.h>
#include "old_kernel.h"

/* Whether a mapping of the ring fd starts at `addr`. */
static int ring_mapping_at(const void *addr)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	CHECK(f != NULL);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "[io_uring]") && strtoull(line, NULL, 16) == (unsigned long long) (uintptr_t) addr;
	fclose(f);
	return found;
}

int main(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	void *sq_ring, *cq_ring, *sqes;
	int fd, before;

	kernel_features();
	before = count_maps_of("self", "[io_uring]");
	memset(&p, 0, sizeof(p));
	fd = raw_setup(8, &p);
	CHECK(fd >= 0);
	p.features &= ~IORING_FEAT_SINGLE_MMAP;
	/* (liburing 2.3 leaves ring.features 0 here, 2.15 copies p.features:
	 * raw_syscalls checks ours.) */
	CHECK_EQ(io_uring_queue_mmap(fd, &p, &ring), 0);
	sq_ring = ring.sq.ring_ptr;
	cq_ring = ring.cq.ring_ptr;
	sqes = ring.sq.sqes;
	CHECK(sq_ring != cq_ring);
	CHECK(ring_mapping_at(sq_ring) && ring_mapping_at(cq_ring) && ring_mapping_at(sqes));
	printf("mapped: separate SQ and CQ rings, %d mappings\n", count_maps_of("self", "[io_uring]") - before);

	/* queue_mmap leaves the SQ index array to the caller, as liburing does. */
	for (unsigned i = 0; i < ring.sq.ring_entries; i++)
		ring.sq.array[i] = i;
	for (__u64 data = 1; data <= 3; data++) {
		queue_nops(&ring, 1, data);
		cqe = NULL;
		CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
		CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
		CHECK_EQ(cqe->user_data, data);
		show(&ring, "nop", 0, cqe);
	}

	io_uring_queue_exit(&ring);
	CHECK(!ring_mapping_at(sq_ring) && !ring_mapping_at(cq_ring) && !ring_mapping_at(sqes));
	CHECK_EQ(count_maps_of("self", "[io_uring]"), before);
	CHECK_EQ(fcntl(fd, F_GETFD), -1);
	printf("exited: no mapping left, fd closed\n");
	return 0;
}
