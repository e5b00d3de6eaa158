/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * io_uring query interface (IORING_REGISTER_QUERY) definitions
 * (liburing-rs).  Kernel ABI: names, values and layouts must not change.
 */
#ifndef LINUX_IO_URING_QUERY_H
#define LINUX_IO_URING_QUERY_H

#include <linux/types.h>

/* Queries are passed as a chain of these headers, linked by next_entry. */
struct io_uring_query_hdr {
	__u64	next_entry;	/* address of the next header, 0 terminates */
	__u64	query_data;	/* address of the per-query payload */
	__u32	query_op;	/* IO_URING_QUERY_* */
	__u32	size;		/* size of the payload */
	__s32	result;		/* filled in by the kernel */
	__u32	__resv[3];
};

/* io_uring_query_hdr->query_op */
enum {
	IO_URING_QUERY_OPCODES		= 0,
	IO_URING_QUERY_ZCRX		= 1,
	IO_URING_QUERY_SCQ		= 2,

	__IO_URING_QUERY_MAX,
};

/* IO_URING_QUERY_OPCODES payload; usable without a ring */
struct io_uring_query_opcode {
	__u32	nr_request_opcodes;	/* count of IORING_OP_* */
	__u32	nr_register_opcodes;	/* count of IORING_REGISTER_* */
	__u64	feature_flags;		/* IORING_FEAT_* mask */
	__u64	ring_setup_flags;	/* IORING_SETUP_* mask */
	__u64	enter_flags;		/* IORING_ENTER_* mask */
	__u64	sqe_flags;		/* IOSQE_* mask */
	__u32	nr_query_opcodes;	/* count of IO_URING_QUERY_* */
	__u32	__pad;
};

/* IO_URING_QUERY_ZCRX payload */
struct io_uring_query_zcrx {
	__u64	register_flags;		/* ZCRX_REG_* mask */
	__u64	area_flags;		/* IORING_ZCRX_AREA_* mask */
	__u32	nr_ctrl_opcodes;	/* count of ZCRX_CTRL_* */
	__u32	features;		/* ZCRX_FEATURE_* mask */
	__u32	rq_hdr_size;		/* refill ring header size */
	__u32	rq_hdr_alignment;	/* refill ring header alignment */
	__u64	__resv2;
};

/* IO_URING_QUERY_SCQ payload */
struct io_uring_query_scq {
	__u64	hdr_size;		/* SQ/CQ ring header size */
	__u64	hdr_alignment;		/* SQ/CQ ring header alignment */
};

#endif /* LINUX_IO_URING_QUERY_H */
