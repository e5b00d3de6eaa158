/* Buffer-ring helpers (init, add, advance, mask, cq_advance, available)
 * with a ring registered in the kernel and consumed by a multishot read
 * from a pipe: the kernel must see exactly the buffers we publish, and
 * recycling them must keep a long stream flowing through 8 entries. */
#include "prep_util.h"
#include "kernel.h"

#define ENTRIES 8
#define BGID 1
#define BUF_SIZE 32

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static char mem[ENTRIES][BUF_SIZE];

static void setup(void)
{
	struct io_uring_buf_reg reg = { 0 };
	int ret, mask = io_uring_buf_ring_mask(ENTRIES);

	CHECK_EQ(mask, ENTRIES - 1);
	CHECK_EQ(io_uring_buf_ring_mask(1), 0);
	br = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(br != MAP_FAILED);
	memset(br, 0xff, 4096);
	io_uring_buf_ring_init(br);
	CHECK_EQ(br->tail, 0);

	reg.ring_addr = (__u64) (uintptr_t) br;
	reg.ring_entries = ENTRIES;
	reg.bgid = BGID;
	NEED_PBUF_RING();
	ret = io_uring_register(ring.ring_fd, IORING_REGISTER_PBUF_RING, &reg, 1);
	CHECK_EQ(ret, 0);

	/* Entries are filled relative to the tail and invisible until the
	 * advance; filling entry 0 must not clobber the tail it overlays. */
	for (int i = 0; i < ENTRIES; i++)
		io_uring_buf_ring_add(br, mem[i], BUF_SIZE, i, mask, i);
	CHECK_EQ(br->tail, 0);
	CHECK_EQ(br->bufs[3].addr, (__u64) (uintptr_t) mem[3]);
	CHECK_EQ(br->bufs[3].len, BUF_SIZE);
	CHECK_EQ(br->bufs[3].bid, 3);
	NEED_PBUF_STATUS();
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), 0);
	io_uring_buf_ring_advance(br, ENTRIES);
	CHECK_EQ(br->tail, ENTRIES);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES);
}

/* Writes `msg` into the pipe and waits for the read's CQE, which stays
 * unconsumed; returns the buffer ID it used. */
static int one_read(int wfd, const char *msg, struct io_uring_cqe **cqe)
{
	int bid;

	CHECK_EQ(write(wfd, msg, strlen(msg)), (ssize_t) strlen(msg));
	CHECK_EQ(io_uring_wait_cqe(&ring, cqe), 0);
	CHECK_EQ((*cqe)->res, (int) strlen(msg));
	CHECK((*cqe)->flags & IORING_CQE_F_BUFFER);
	CHECK((*cqe)->flags & IORING_CQE_F_MORE);
	bid = (*cqe)->flags >> IORING_CQE_BUFFER_SHIFT;
	CHECK(bid >= 0 && bid < ENTRIES);
	CHECK(memcmp(mem[bid], msg, strlen(msg)) == 0);
	return bid;
}

int main(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int p[2], bid, mask = ENTRIES - 1;
	char msg[16];

	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_READ_MULTISHOT);
	setup();
	CHECK_EQ(pipe(p), 0);

	sqe = sqe_of(&ring);
	io_uring_prep_read_multishot(sqe, p[0], 0, 0, BGID);
	io_uring_sqe_set_data64(sqe, 9);
	submit_n(&ring, 1);

	/* One read consumes one buffer: the kernel's head moved by one. */
	bid = one_read(p[1], "first", &cqe);
	CHECK_EQ(bid, 0);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES - 1);

	/* Hand it back and consume the CQE in one go. */
	io_uring_buf_ring_add(br, mem[bid], BUF_SIZE, bid, mask, 0);
	io_uring_buf_ring_cq_advance(&ring, br, 1);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(br->tail, ENTRIES + 1);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES);

	/* The split form: consume a CQE without returning its buffer, then
	 * return the buffer without consuming anything. */
	bid = one_read(p[1], "second", &cqe);
	__io_uring_buf_ring_cq_advance(&ring, br, 1, 0);
	CHECK_EQ(io_uring_cq_ready(&ring), 0);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES - 1);
	io_uring_buf_ring_add(br, mem[bid], BUF_SIZE, bid, mask, 0);
	__io_uring_buf_ring_cq_advance(&ring, br, 0, 1);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES);

	/* Many more reads than entries: recycling wraps the ring (and the
	 * mask keeps the index inside it) without losing a buffer. */
	for (int i = 0; i < 5 * ENTRIES; i++) {
		snprintf(msg, sizeof(msg), "msg-%d", i);
		bid = one_read(p[1], msg, &cqe);
		io_uring_buf_ring_add(br, mem[bid], BUF_SIZE, bid, mask, 0);
		io_uring_buf_ring_cq_advance(&ring, br, 1);
	}
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID), ENTRIES);
	CHECK_EQ((__u16) br->tail, (__u16) (ENTRIES + 2 + 5 * ENTRIES));

	/* Bad arguments give errors, not crashes. */
	CHECK_EQ(io_uring_buf_ring_available(&ring, NULL, BGID), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_available(NULL, br, BGID), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_available(&ring, br, BGID + 1), -ENOENT);
	io_uring_buf_ring_init(NULL);
	io_uring_buf_ring_add(NULL, mem[0], 1, 0, mask, 0);
	io_uring_buf_ring_advance(NULL, 1);
	io_uring_buf_ring_cq_advance(NULL, NULL, 1);

	/* Closing the write end ends the multishot read. */
	close(p[1]);
	cqe = NULL;
	CHECK_EQ(io_uring_wait_cqe(&ring, &cqe), 0);
	CHECK_EQ(cqe->user_data, 9);
	CHECK(!(cqe->flags & IORING_CQE_F_MORE));
	io_uring_cqe_seen(&ring, cqe);
	close(p[0]);
	io_uring_queue_exit(&ring);
	return 0;
}
