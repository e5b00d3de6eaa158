/* Zero-copy receive: registering an interface queue needs a NIC with
 * header split and page-pool support. Whatever the kernel answers,
 * io_uring_register_ifq and io_uring_register_zcrx_ctrl must return
 * exactly what the raw io_uring_register(2) returns. */
#include <net/if.h>
#include <sys/mman.h>
#include "reg_helpers.h"
#include "kernel.h"

#define AREA (64 * 4096)

int main(void)
{
	struct io_uring ring;
	struct io_uring_params p = {
		.flags = IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER |
			 IORING_SETUP_CQE32,
	};
	struct io_uring_zcrx_area_reg area;
	struct io_uring_region_desc rd;
	struct io_uring_zcrx_ifq_reg reg, copy;
	struct zcrx_ctrl ctrl;
	void *mem, *rq;
	int ret, raw;

	ring_init_params(&ring, 8, &p, "IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQE32");
	mem = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rq = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(mem != MAP_FAILED && rq != MAP_FAILED);

	memset(&area, 0, sizeof(area));
	area.addr = (__u64) (uintptr_t) mem;
	area.len = AREA;
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64) (uintptr_t) rq;
	rd.size = 4 * 4096;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&reg, 0, sizeof(reg));
	reg.if_idx = if_nametoindex("lo");
	reg.if_rxq = 0;
	reg.rq_entries = 64;
	reg.area_ptr = (__u64) (uintptr_t) &area;
	reg.region_ptr = (__u64) (uintptr_t) &rd;
	copy = reg;

	ret = io_uring_register_ifq(&ring, &reg);
	if (ret == 0)
		FAIL("zcrx registered on lo, which cannot do it: update this test");
	raw = raw_register(ring.ring_fd, IORING_REGISTER_ZCRX_IFQ, &copy, 1);
	CHECK_EQ(ret, raw);

	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.zcrx_id = 7;
	ctrl.op = ZCRX_CTRL_FLUSH_RQ;
	ret = io_uring_register_zcrx_ctrl(&ring, &ctrl);
	CHECK(ret < 0);
	CHECK_EQ(ret, raw_register(ring.ring_fd, IORING_REGISTER_ZCRX_CTRL, &ctrl, 0));
	CHECK_EQ(io_uring_register_ifq(NULL, &reg), -EFAULT);
	io_uring_queue_exit(&ring);
	SKIP("zero-copy receive needs a NIC with header split and page-pool support (lo refused)");
}
