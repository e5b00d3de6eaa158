/* Rings packed back to back in one shared mapping, each given exactly the
 * byte count io_uring_queue_init_mem returned for a first ring of the same
 * size, as PostgreSQL sizes its shared memory for one ring per process. The
 * count is what io_uring_memory_size_params says, on kernel and emulated
 * rings alike: under URING_RS_EMULATE=auto every setup tries the kernel's
 * layout first, so an emulated ring that reported less than that layout
 * needs left the last ring of the pack -ENOMEM. */
#include <sys/mman.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

#define PACK 3

static char *map(size_t len)
{
	char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	CHECK(mem != MAP_FAILED);
	return mem;
}

static void pack(unsigned entries, unsigned flags)
{
	struct io_uring rings[PACK];
	struct io_uring_params p = { .flags = flags };
	size_t probe_len = 4 << 20;
	char *probe = map(probe_len), *buf;
	int size;

	/* A first ring in more memory than it needs says how much it took. */
	size = io_uring_queue_init_mem(entries, &rings[0], &p, probe, probe_len);
	if (size < 0)
		FAIL("init_mem(%u, %#x) in %zu bytes = %d", entries, flags, probe_len, size);
	if (size != io_uring_memory_size_params(entries, &p))
		FAIL("init_mem(%u, %#x) took %d bytes, memory_size_params says %zd", entries, flags, size,
		     io_uring_memory_size_params(entries, &p));
	io_uring_queue_exit(&rings[0]);

	/* PACK rings in PACK times that: the last gets exactly `size` bytes. */
	buf = map((size_t) size * PACK);
	for (int i = 0; i < PACK; i++) {
		struct io_uring_params pi = { .flags = flags };
		int ret = io_uring_queue_init_mem(entries, &rings[i], &pi, buf + (size_t) i * size,
						  (size_t) (PACK - i) * size);

		if (ret != size)
			FAIL("init_mem(%u, %#x) of ring %d in %zu bytes = %d, not %d", entries, flags, i,
			     (size_t) (PACK - i) * size, ret, size);
		CHECK((char *) rings[i].sq.sqes >= buf + (size_t) i * size);
		CHECK((char *) rings[i].cq.cqes < buf + (size_t) (i + 1) * size);
	}
	for (int round = 0; round < 4; round++)
		for (int i = 0; i < PACK; i++)
			nop_roundtrip(&rings[i], 1000 * i + round);
	for (int i = 0; i < PACK; i++)
		io_uring_queue_exit(&rings[i]);
	/* The kernel unpins ring memory after exit, so it is never reused here. */
	CHECK_EQ(munmap(buf, (size_t) size * PACK), 0);
	CHECK_EQ(munmap(probe, probe_len), 0);
}

int main(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_NO_MMAP };

	/* A kernel without NO_MMAP refuses the flag; one that refuses io_uring
	 * altogether (EPERM, ENOSYS) leaves the rings to the engine. */
	if (kernel_setup(8, &p) == -EINVAL)
		SKIP_LACKS("IORING_SETUP_NO_MMAP");
	/* 8 and 11 (PostgreSQL's io_max_concurrency with 16 MB of shared
	 * buffers) fit the engine's layout in one page, the kernel's in two. */
	pack(1, 0);
	pack(8, 0);
	pack(11, 0);
	pack(64, 0);
	pack(100, IORING_SETUP_CQE32);
	pack(256, IORING_SETUP_SQE128);
	pack(4096, 0);
	return 0;
}
