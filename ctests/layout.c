/* The ABI numbers a binary built on upstream liburing's header relies on,
 * checked at compile time: each pair is what the C compiler gives for
 * upstream's header on 64-bit targets and on 32-bit ones (i386).
 * src/layout_tests.rs checks every field against the Rust definitions. */
#include <stddef.h>
#include <liburing.h>
#include "harness.h"

#define BY_WIDTH(lp64, ilp32) (sizeof(void *) == 8 ? (lp64) : (ilp32))
#define AT(type, field, lp64, ilp32) \
	_Static_assert(offsetof(struct type, field) == BY_WIDTH(lp64, ilp32), #type "." #field)
#define SIZE(type, lp64, ilp32) _Static_assert(sizeof(struct type) == BY_WIDTH(lp64, ilp32), "sizeof " #type)

SIZE(io_uring, 216, 140);
AT(io_uring, sq, 0, 0);
AT(io_uring, cq, 104, 64);
AT(io_uring, flags, 192, 116);
AT(io_uring, ring_fd, 196, 120);
AT(io_uring, features, 200, 124);
AT(io_uring, enter_ring_fd, 204, 128);
AT(io_uring, int_flags, 208, 132);

SIZE(io_uring_sq, 104, 64);
AT(io_uring_sq, khead, 0, 0);
AT(io_uring_sq, ktail, 8, 4);
AT(io_uring_sq, kring_mask, 16, 8);
AT(io_uring_sq, kring_entries, 24, 12);
AT(io_uring_sq, kflags, 32, 16);
AT(io_uring_sq, kdropped, 40, 20);
AT(io_uring_sq, array, 48, 24);
AT(io_uring_sq, sqes, 56, 28);
AT(io_uring_sq, sqe_head, 64, 32);
AT(io_uring_sq, sqe_tail, 68, 36);
AT(io_uring_sq, ring_sz, 72, 40);
AT(io_uring_sq, ring_ptr, 80, 44);
AT(io_uring_sq, ring_mask, 88, 48);
AT(io_uring_sq, ring_entries, 92, 52);
AT(io_uring_sq, sqes_sz, 96, 56);
AT(io_uring_sq, pad, 100, 60);

SIZE(io_uring_cq, 88, 52);
AT(io_uring_cq, khead, 0, 0);
AT(io_uring_cq, ktail, 8, 4);
AT(io_uring_cq, kring_mask, 16, 8);
AT(io_uring_cq, kring_entries, 24, 12);
AT(io_uring_cq, kflags, 32, 16);
AT(io_uring_cq, koverflow, 40, 20);
AT(io_uring_cq, cqes, 48, 24);
AT(io_uring_cq, ring_sz, 56, 28);
AT(io_uring_cq, ring_ptr, 64, 32);
AT(io_uring_cq, ring_mask, 72, 36);
AT(io_uring_cq, ring_entries, 76, 40);
AT(io_uring_cq, pad, 80, 44);

SIZE(io_uring_zcrx_rq, 40, 24);
AT(io_uring_zcrx_rq, khead, 0, 0);
AT(io_uring_zcrx_rq, ktail, 8, 4);
AT(io_uring_zcrx_rq, rq_tail, 16, 8);
AT(io_uring_zcrx_rq, ring_entries, 20, 12);
AT(io_uring_zcrx_rq, rqes, 24, 16);
AT(io_uring_zcrx_rq, ring_ptr, 32, 20);

SIZE(io_uring_sqe, 64, 64);
SIZE(io_uring_cqe, 16, 16);
SIZE(io_uring_params, 120, 120);

int main(void)
{
	return 0;
}
