/* Registered waits: a memory region of io_uring_reg_wait descriptors
 * (registered while the ring is disabled) drives
 * io_uring_submit_and_wait_reg, whose timeouts come from that memory;
 * io_uring_register_wait_reg is refused as in liburing 2.15; the wait
 * clock can be chosen. */
#include <sys/mman.h>
#include <unistd.h>
#include "reg_helpers.h"
#include "kernel.h"

static void set_ts(struct io_uring_reg_wait *w, long ms)
{
	memset(w, 0, sizeof(*w));
	w->ts.tv_sec = ms / 1000;
	w->ts.tv_nsec = (ms % 1000) * 1000000L;
	w->flags = IORING_REG_WAIT_TS;
}

/* submit_and_wait_reg for one CQE with descriptor `idx`; returns the
 * CQE's result (or the wait's error) and stores the elapsed milliseconds.
 * Like liburing, a successful wait returns what the submitting enter
 * returned, so any value >= 0 with a CQE is success. */
static int wait_reg(struct io_uring *ring, int idx, long long *ms)
{
	struct io_uring_cqe *cqe = NULL;
	long long t0 = now_ms();
	int ret = io_uring_submit_and_wait_reg(ring, &cqe, 1, idx);

	*ms = now_ms() - t0;
	if (ret >= 0) {
		CHECK(cqe != NULL);
		ret = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	return ret;
}

static void region_waits(void)
{
	struct io_uring ring, plain;
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	struct io_uring_region_desc rd;
	struct io_uring_mem_region_reg mr;
	struct io_uring_reg_wait *w;
	long page = sysconf(_SC_PAGESIZE);
	long long ms;
	int ret;

	w = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(w != MAP_FAILED);
	set_ts(&w[0], 50);
	set_ts(&w[1], 2000);

	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64) (uintptr_t) w;
	rd.size = page;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&mr, 0, sizeof(mr));
	mr.region_uptr = (__u64) (uintptr_t) &rd;
	mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
	if (!have_register(IORING_SETUP_R_DISABLED, IORING_REGISTER_MEM_REGION, &mr, 1,
			   "IORING_REGISTER_MEM_REGION (registered waits)")) {
		munmap(w, page);
		return;
	}
	ring_init_params(&ring, 8, &p, "IORING_SETUP_R_DISABLED");
	ret = io_uring_register_region(&ring, &mr);
	CHECK_EQ(ret, 0);
	CHECK_EQ(io_uring_enable_rings(&ring), 0);

	/* Nothing to wait for: descriptor 0 times out after 50 ms. */
	CHECK_EQ(wait_reg(&ring, 0, &ms), -ETIME);
	CHECK(ms >= 45 && ms < 1000);

	/* A NOP completes long before descriptor 1's two seconds. */
	sqe_nop(&ring, 5);
	CHECK_EQ(wait_reg(&ring, 1, &ms), 0);
	CHECK(ms < 1000);

	/* The kernel reads the descriptor from the shared memory each time. */
	set_ts(&w[0], 200);
	CHECK_EQ(wait_reg(&ring, 0, &ms), -ETIME);
	CHECK(ms >= 190 && ms < 2000);

	/* An index past the region. */
	CHECK_EQ(wait_reg(&ring, page / sizeof(*w), &ms), -EFAULT);

	/* The old interface is refused whatever is passed. */
	CHECK_EQ(io_uring_register_wait_reg(&ring, w, 1), -EINVAL);
	CHECK_EQ(io_uring_register_wait_reg(&ring, NULL, 0), -EINVAL);
	io_uring_queue_exit(&ring);

	/* Wait regions can only be added to a ring that is still disabled. */
	CHECK_EQ(io_uring_queue_init(8, &plain, 0), 0);
	CHECK_EQ(io_uring_register_region(&plain, &mr), -EINVAL);
	io_uring_queue_exit(&plain);
	CHECK_EQ(io_uring_register_region(NULL, &mr), -EFAULT);
	munmap(w, page);
}

static void clock_choice(void)
{
	struct io_uring ring;
	struct io_uring_clock_register clk = { .clockid = CLOCK_BOOTTIME };
	struct __kernel_timespec ts = { .tv_nsec = 30 * 1000000L };
	struct io_uring_cqe *cqe;
	long long t0;
	int ret;

	if (!have_register(0, IORING_REGISTER_CLOCK, &clk, 0, "IORING_REGISTER_CLOCK"))
		return;
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	ret = io_uring_register_clock(&ring, &clk);
	CHECK_EQ(ret, 0);
	/* Waits still time out, now on the boot clock. */
	t0 = now_ms();
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	CHECK(now_ms() - t0 >= 25);

	clk.clockid = CLOCK_MONOTONIC;
	CHECK_EQ(io_uring_register_clock(&ring, &clk), 0);
	clk.clockid = CLOCK_REALTIME;
	CHECK_EQ(io_uring_register_clock(&ring, &clk), -EINVAL);
	clk.clockid = CLOCK_MONOTONIC;
	clk.__resv[0] = 1;
	CHECK_EQ(io_uring_register_clock(&ring, &clk), -EINVAL);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	clock_choice();
	region_waits();
	return 0;
}
