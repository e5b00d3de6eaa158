/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * io_uring BPF request filter definitions (IORING_REGISTER_BPF_FILTER)
 * (liburing-rs).  Kernel ABI: names, values and layouts must not change.
 */
#ifndef LINUX_IO_URING_BPF_FILTER_H
#define LINUX_IO_URING_BPF_FILTER_H

#include <linux/types.h>

/* Context handed to a filter program for each request it inspects. */
struct io_uring_bpf_ctx {
	__u64	user_data;
	__u8	opcode;
	__u8	sqe_flags;
	__u8	pdu_size;	/* bytes of opcode specific data below */
	__u8	pad[5];
	union {
		struct {
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
	};
};

/* io_uring_bpf_filter->flags */
enum {
	/* deny every opcode that has no filter of its own */
	IO_URING_BPF_FILTER_DENY_REST	= 1,
	/* fail registration on a pdu_size mismatch with the kernel */
	IO_URING_BPF_FILTER_SZ_STRICT	= 2,
};

struct io_uring_bpf_filter {
	__u32	opcode;		/* IORING_OP_* being filtered */
	__u32	flags;		/* IO_URING_BPF_FILTER_* */
	__u32	filter_len;	/* number of BPF instructions */
	__u8	pdu_size;	/* pdu size the application expects */
	__u8	resv[3];
	__u64	filter_ptr;	/* address of the BPF program */
	__u64	resv2[5];
};

/* io_uring_bpf->cmd_type */
enum {
	IO_URING_BPF_CMD_FILTER		= 1,
};

/* argument of IORING_REGISTER_BPF_FILTER */
struct io_uring_bpf {
	__u16	cmd_type;	/* IO_URING_BPF_CMD_* */
	__u16	cmd_flags;	/* must be zero */
	__u32	resv;
	union {
		struct io_uring_bpf_filter	filter;
	};
};

#endif /* LINUX_IO_URING_BPF_FILTER_H */
