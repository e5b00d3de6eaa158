/* Undoes the inline fast paths of <liburing/inline.h> that write SQEs, so
 * that the preparer and SQE-setter calls after this include reach the
 * exported functions. For files that call both, each in its own pass over
 * a list (see ctests/prep_calls.h). */
#undef io_uring_prep_rw
#undef io_uring_prep_nop
#undef io_uring_prep_read
#undef io_uring_prep_write
#undef io_uring_prep_readv
#undef io_uring_prep_writev
#undef io_uring_prep_read_fixed
#undef io_uring_prep_write_fixed
#undef io_uring_prep_send
#undef io_uring_prep_recv
#undef io_uring_sqe_set_data
#undef io_uring_sqe_set_data64
#undef io_uring_sqe_set_flags
