/* IORING_SETUP_NO_MMAP through io_uring_queue_init_mem, with the library's
 * memory and with the application's; the byte count it returns against
 * io_uring_memory_size(_params); REGISTERED_FD_ONLY; io_uring_mlock_size. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

#define BUF_SIZE (2 * 1024 * 1024)

/* Each ring gets memory of its own, freed only when the test ends: the
 * kernel tears a ring down after io_uring_queue_exit returns and can still
 * write that ring's CQ tail then (under TCG on arm64 the old ring's tail of
 * 20 turned up in the next ring built in the same memory). BUF_SIZE-aligned,
 * so that big rings sit in one huge page. */
static char *bufs[16];
static unsigned nbufs;

/* Ring memory starts zeroed, as a fresh mapping is: some kernels (6.12) take
 * the ring heads and tails as they find them. */
static char *fresh(void)
{
	char *mem = aligned_alloc(BUF_SIZE, BUF_SIZE);

	CHECK(mem != NULL && nbufs < sizeof(bufs) / sizeof(bufs[0]));
	memset(mem, 0, BUF_SIZE);
	return bufs[nbufs++] = mem;
}

/* The ring lives where init_mem says and works. */
static void use(struct io_uring *ring, __u64 tag)
{
	for (int i = 0; i < 20; i++)
		nop_roundtrip(ring, tag + i);
}

/* The count init_mem returns is exactly what memory_size_params computes
 * for the flags the ring ended up with. */
static void byte_count(unsigned entries, unsigned flags, unsigned cq_entries)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = flags, .cq_entries = cq_entries };
	long page = sysconf(_SC_PAGESIZE);
	char *buf = fresh();
	ssize_t size;
	int used;

	used = io_uring_queue_init_mem(entries, &ring, &p, buf, BUF_SIZE);
	if (used < 0)
		FAIL("init_mem(%u, %#x) = %d", entries, flags, used);
	CHECK(used > 0 && used % page == 0);
	CHECK(ring.flags & IORING_SETUP_NO_MMAP);
	CHECK_EQ(p.flags, ring.flags);
	CHECK((char *) ring.sq.sqes == buf);
	CHECK((char *) ring.cq.cqes > buf && (char *) ring.cq.cqes < buf + used);
	size = io_uring_memory_size_params(entries, &p);
	if (size != used)
		FAIL("init_mem(%u, %#x) used %d bytes, memory_size_params says %zd", entries, flags, used, size);
	if (!(p.flags & IORING_SETUP_CQSIZE))
		CHECK_EQ(io_uring_memory_size(entries, p.flags), used);
	use(&ring, 100);
	io_uring_queue_exit(&ring);
	/* One byte short is refused. */
	p = (struct io_uring_params) { .flags = flags, .cq_entries = cq_entries };
	CHECK_EQ(io_uring_queue_init_mem(entries, &ring, &p, buf, used - 1), -ENOMEM);
}

/* Two rings packed one after the other in the same buffer. */
static void two_in_one(void)
{
	struct io_uring a, b;
	struct io_uring_params pa = { 0 }, pb = { 0 };
	char *buf = fresh();
	int used_a, used_b;

	used_a = io_uring_queue_init_mem(8, &a, &pa, buf, BUF_SIZE);
	CHECK(used_a > 0);
	used_b = io_uring_queue_init_mem(8, &b, &pb, buf + used_a, BUF_SIZE - used_a);
	CHECK(used_b > 0);
	CHECK((char *) b.sq.sqes == buf + used_a);
	for (int i = 0; i < 10; i++) {
		nop_roundtrip(&a, 200 + i);
		nop_roundtrip(&b, 300 + i);
	}
	io_uring_queue_exit(&a);
	use(&b, 400);
	io_uring_queue_exit(&b);
	/* The buffer is still the application's after exit. */
	memset(buf, 0x5a, used_a + used_b);
}

/* Without a buffer the library allocates the memory itself. */
static void library_memory(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	int maps = count_maps();
	int used = io_uring_queue_init_mem(8, &ring, &p, NULL, 0);

	CHECK(used > 0);
	CHECK_EQ(io_uring_memory_size_params(8, &p), used);
	CHECK(ring.flags & IORING_SETUP_NO_MMAP);
	use(&ring, 500);
	io_uring_queue_exit(&ring);
	CHECK_EQ(count_maps(), maps);
}

/* REGISTERED_FD_ONLY: no fd in the table, only a registered index. */
static void registered_fd_only(void)
{
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_REGISTERED_FD_ONLY | IORING_SETUP_NO_MMAP };
	struct __kernel_timespec ts = { .tv_nsec = 10000000 };
	struct io_uring_cqe *cqe;
	int fds = count_fds();
	int ret;

	if (!have_setup(8, &p, "IORING_SETUP_REGISTERED_FD_ONLY | IORING_SETUP_NO_MMAP"))
		return;
	ret = io_uring_queue_init_mem(8, &ring, &p, NULL, 0);
	CHECK(ret > 0);
	CHECK_EQ(ring.ring_fd, -1);
	CHECK(ring.enter_ring_fd >= 0);
	CHECK(ring.int_flags & IORING_ENTER_REGISTERED_RING);
	CHECK_EQ(count_fds(), fds);
	use(&ring, 600);
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	queue_nops(&ring, 2, 700);
	CHECK_EQ(io_uring_submit_and_wait_timeout(&ring, &cqe, 2, &ts, NULL), 2);
	io_uring_cq_advance(&ring, 2);
	CHECK_EQ(io_uring_register_ring_fd(&ring), -EEXIST);
	CHECK_EQ(io_uring_close_ring_fd(&ring), -EBADF);
	use(&ring, 800);
	io_uring_queue_exit(&ring);
	CHECK_EQ(count_fds(), fds);

	/* It needs NO_MMAP. */
	CHECK_EQ(io_uring_queue_init(8, &ring, IORING_SETUP_REGISTERED_FD_ONLY), -EINVAL);
}

static void sizes(void)
{
	struct io_uring_params clamp = { .flags = IORING_SETUP_CLAMP };
	long page = sysconf(_SC_PAGESIZE);

	/* 8 SQEs fit a page, and so do 16 CQEs with the ring header. */
	CHECK_EQ(io_uring_memory_size(8, 0), 2 * page);
	CHECK_EQ(io_uring_memory_size(8, IORING_SETUP_NO_SQARRAY), 2 * page);
	CHECK(io_uring_memory_size(4096, IORING_SETUP_SQE128) > io_uring_memory_size(4096, 0));
	CHECK(io_uring_memory_size(4096, IORING_SETUP_CQE32) > io_uring_memory_size(4096, 0));
	CHECK_EQ(io_uring_memory_size(0, 0), -EINVAL);
	CHECK_EQ(io_uring_memory_size(1u << 20, 0), -EINVAL);
	CHECK_EQ(io_uring_memory_size_params(1u << 20, &clamp), io_uring_memory_size(32768, 0));
	CHECK_EQ(io_uring_memory_size_params(8, NULL), -EFAULT);

	/* Ring memory is charged to the cgroup, not to RLIMIT_MEMLOCK. */
	CHECK_EQ(io_uring_mlock_size(8, 0), 0);
	CHECK_EQ(io_uring_mlock_size(4096, IORING_SETUP_SQE128), 0);
	CHECK_EQ(io_uring_mlock_size_params(8, &clamp), 0);
	CHECK_EQ(io_uring_mlock_size_params(8, NULL), -EFAULT);
}

int main(void)
{
	NEED_SETUP_FLAGS(IORING_SETUP_NO_MMAP);

	byte_count(8, 0, 0);
	byte_count(1, 0, 0);
	byte_count(64, 0, 0);
	byte_count(256, IORING_SETUP_SQE128, 0);
	byte_count(256, IORING_SETUP_CQE32, 0);
	byte_count(128, IORING_SETUP_CQSIZE, 1024);
	byte_count(4096, 0, 0);
	two_in_one();
	library_memory();
	sizes();
	registered_fd_only();
	while (nbufs)
		free(bufs[--nbufs]);
	return 0;
}
