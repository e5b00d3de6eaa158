/* The ABI numbers a binary built on upstream liburing's header relies on,
 * checked at compile time. src/layout_tests.rs checks every field against
 * the Rust definitions as well. */
#include <stddef.h>
#include <liburing.h>
#include "harness.h"

#define AT(type, field, off) _Static_assert(offsetof(struct type, field) == (off), #type "." #field)
#define SIZE(type, n) _Static_assert(sizeof(struct type) == (n), "sizeof " #type)

SIZE(io_uring, 216);
AT(io_uring, sq, 0);
AT(io_uring, cq, 104);
AT(io_uring, flags, 192);
AT(io_uring, ring_fd, 196);
AT(io_uring, features, 200);
AT(io_uring, enter_ring_fd, 204);
AT(io_uring, int_flags, 208);

SIZE(io_uring_sq, 104);
AT(io_uring_sq, khead, 0);
AT(io_uring_sq, ktail, 8);
AT(io_uring_sq, kring_mask, 16);
AT(io_uring_sq, kring_entries, 24);
AT(io_uring_sq, kflags, 32);
AT(io_uring_sq, kdropped, 40);
AT(io_uring_sq, array, 48);
AT(io_uring_sq, sqes, 56);
AT(io_uring_sq, sqe_head, 64);
AT(io_uring_sq, sqe_tail, 68);
AT(io_uring_sq, ring_sz, 72);
AT(io_uring_sq, ring_ptr, 80);
AT(io_uring_sq, ring_mask, 88);
AT(io_uring_sq, ring_entries, 92);
AT(io_uring_sq, sqes_sz, 96);
AT(io_uring_sq, pad, 100);

SIZE(io_uring_cq, 88);
AT(io_uring_cq, khead, 0);
AT(io_uring_cq, ktail, 8);
AT(io_uring_cq, kring_mask, 16);
AT(io_uring_cq, kring_entries, 24);
AT(io_uring_cq, kflags, 32);
AT(io_uring_cq, koverflow, 40);
AT(io_uring_cq, cqes, 48);
AT(io_uring_cq, ring_sz, 56);
AT(io_uring_cq, ring_ptr, 64);
AT(io_uring_cq, ring_mask, 72);
AT(io_uring_cq, ring_entries, 76);
AT(io_uring_cq, pad, 80);

SIZE(io_uring_zcrx_rq, 40);
AT(io_uring_zcrx_rq, khead, 0);
AT(io_uring_zcrx_rq, ktail, 8);
AT(io_uring_zcrx_rq, rq_tail, 16);
AT(io_uring_zcrx_rq, ring_entries, 20);
AT(io_uring_zcrx_rq, rqes, 24);
AT(io_uring_zcrx_rq, ring_ptr, 32);

SIZE(io_uring_sqe, 64);
SIZE(io_uring_cqe, 16);
SIZE(io_uring_params, 120);

int main(void)
{
	return 0;
}
