/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * io_uring kernel/user ABI definitions (liburing-rs).
 *
 * Mirrors the Linux uapi header <linux/io_uring.h> at the level shipped
 * with liburing 2.15.  Every name, value and structure layout here is part
 * of the kernel ABI and must not be changed.
 *
 * The include guard is deliberately the same as the kernel's, so that a
 * translation unit pulling in both this file and the system copy only
 * sees whichever one came first.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>
#include <linux/types.h>

/*
 * liburing/compat.h defines UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
 * when it has already provided struct __kernel_timespec (either from
 * <linux/time_types.h> or from its own fallback definition).
 */
#ifndef UAPI_LINUX_IO_URING_H_SKIP_LINUX_TIME_TYPES_H
#include <linux/time_types.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Submission queue entry
 * ------------------------------------------------------------------------ */

struct io_uring_sqe {
	__u8	opcode;			/* IORING_OP_* */
	__u8	flags;			/* IOSQE_* */
	__u16	ioprio;
	__s32	fd;
	union {
		__u64	off;
		__u64	addr2;
		struct {
			__u32	cmd_op;
			__u32	__pad1;
		};
	};
	union {
		__u64	addr;
		__u64	splice_off_in;
		struct {
			__u32	level;
			__u32	optname;
		};
	};
	__u32	len;
	union {
		__kernel_rwf_t	rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;
		__u32		poll32_events;
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
		__u32		waitid_flags;
		__u32		futex_flags;
		__u32		install_fd_flags;
		__u32		nop_flags;
		__u32		pipe_flags;
	};
	__u64	user_data;
	/* packed: keeps the layout stable under the ARM OABI */
	union {
		__u16	buf_index;
		__u16	buf_group;
	} __attribute__((packed));
	__u16	personality;
	union {
		__s32	splice_fd_in;
		__u32	file_index;
		__u32	zcrx_ifq_idx;
		__u32	optlen;
		struct {
			__u16	addr_len;
			__u16	__pad3[1];
		};
	};
	union {
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		struct {
			__u64	attr_ptr;
			__u64	attr_type_mask;
		};
		__u64	optval;
		/* start of the 80 byte command area of a 128 byte SQE */
		__u8	cmd[0];
	};
};

/* bits for sqe->attr_type_mask */
#define IORING_RW_ATTR_FLAG_PI		(1U << 0)

/* protection information attribute, pointed to by sqe->attr_ptr */
struct io_uring_attr_pi {
	__u16	flags;
	__u16	app_tag;
	__u32	len;
	__u64	addr;
	__u64	seed;
	__u64	rsvd;
};

/* sqe->file_index value asking the kernel to pick a free direct slot */
#define IORING_FILE_INDEX_ALLOC		(~0U)

enum io_uring_sqe_flags_bit {
	IOSQE_FIXED_FILE_BIT		= 0,
	IOSQE_IO_DRAIN_BIT		= 1,
	IOSQE_IO_LINK_BIT		= 2,
	IOSQE_IO_HARDLINK_BIT		= 3,
	IOSQE_ASYNC_BIT			= 4,
	IOSQE_BUFFER_SELECT_BIT		= 5,
	IOSQE_CQE_SKIP_SUCCESS_BIT	= 6,
};

/* sqe->flags */
#define IOSQE_FIXED_FILE		(1U << IOSQE_FIXED_FILE_BIT)
#define IOSQE_IO_DRAIN			(1U << IOSQE_IO_DRAIN_BIT)
#define IOSQE_IO_LINK			(1U << IOSQE_IO_LINK_BIT)
#define IOSQE_IO_HARDLINK		(1U << IOSQE_IO_HARDLINK_BIT)
#define IOSQE_ASYNC			(1U << IOSQE_ASYNC_BIT)
#define IOSQE_BUFFER_SELECT		(1U << IOSQE_BUFFER_SELECT_BIT)
#define IOSQE_CQE_SKIP_SUCCESS		(1U << IOSQE_CQE_SKIP_SUCCESS_BIT)

/* ------------------------------------------------------------------------
 * io_uring_setup(2) flags (io_uring_params->flags)
 * ------------------------------------------------------------------------ */

#define IORING_SETUP_IOPOLL		(1U << 0)
#define IORING_SETUP_SQPOLL		(1U << 1)
#define IORING_SETUP_SQ_AFF		(1U << 2)
#define IORING_SETUP_CQSIZE		(1U << 3)
#define IORING_SETUP_CLAMP		(1U << 4)
#define IORING_SETUP_ATTACH_WQ		(1U << 5)
#define IORING_SETUP_R_DISABLED		(1U << 6)
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)
#define IORING_SETUP_SQE128		(1U << 10)
#define IORING_SETUP_CQE32		(1U << 11)
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)
#define IORING_SETUP_NO_MMAP		(1U << 14)
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)
#define IORING_SETUP_NO_SQARRAY		(1U << 16)
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)
#define IORING_SETUP_CQE_MIXED		(1U << 18)
#define IORING_SETUP_SQE_MIXED		(1U << 19)
#define IORING_SETUP_SQ_REWIND		(1U << 20)

/* ------------------------------------------------------------------------
 * Request opcodes (sqe->opcode)
 * ------------------------------------------------------------------------ */

enum io_uring_op {
	IORING_OP_NOP			= 0,
	IORING_OP_READV			= 1,
	IORING_OP_WRITEV		= 2,
	IORING_OP_FSYNC			= 3,
	IORING_OP_READ_FIXED		= 4,
	IORING_OP_WRITE_FIXED		= 5,
	IORING_OP_POLL_ADD		= 6,
	IORING_OP_POLL_REMOVE		= 7,
	IORING_OP_SYNC_FILE_RANGE	= 8,
	IORING_OP_SENDMSG		= 9,
	IORING_OP_RECVMSG		= 10,
	IORING_OP_TIMEOUT		= 11,
	IORING_OP_TIMEOUT_REMOVE	= 12,
	IORING_OP_ACCEPT		= 13,
	IORING_OP_ASYNC_CANCEL		= 14,
	IORING_OP_LINK_TIMEOUT		= 15,
	IORING_OP_CONNECT		= 16,
	IORING_OP_FALLOCATE		= 17,
	IORING_OP_OPENAT		= 18,
	IORING_OP_CLOSE			= 19,
	IORING_OP_FILES_UPDATE		= 20,
	IORING_OP_STATX			= 21,
	IORING_OP_READ			= 22,
	IORING_OP_WRITE			= 23,
	IORING_OP_FADVISE		= 24,
	IORING_OP_MADVISE		= 25,
	IORING_OP_SEND			= 26,
	IORING_OP_RECV			= 27,
	IORING_OP_OPENAT2		= 28,
	IORING_OP_EPOLL_CTL		= 29,
	IORING_OP_SPLICE		= 30,
	IORING_OP_PROVIDE_BUFFERS	= 31,
	IORING_OP_REMOVE_BUFFERS	= 32,
	IORING_OP_TEE			= 33,
	IORING_OP_SHUTDOWN		= 34,
	IORING_OP_RENAMEAT		= 35,
	IORING_OP_UNLINKAT		= 36,
	IORING_OP_MKDIRAT		= 37,
	IORING_OP_SYMLINKAT		= 38,
	IORING_OP_LINKAT		= 39,
	IORING_OP_MSG_RING		= 40,
	IORING_OP_FSETXATTR		= 41,
	IORING_OP_SETXATTR		= 42,
	IORING_OP_FGETXATTR		= 43,
	IORING_OP_GETXATTR		= 44,
	IORING_OP_SOCKET		= 45,
	IORING_OP_URING_CMD		= 46,
	IORING_OP_SEND_ZC		= 47,
	IORING_OP_SENDMSG_ZC		= 48,
	IORING_OP_READ_MULTISHOT	= 49,
	IORING_OP_WAITID		= 50,
	IORING_OP_FUTEX_WAIT		= 51,
	IORING_OP_FUTEX_WAKE		= 52,
	IORING_OP_FUTEX_WAITV		= 53,
	IORING_OP_FIXED_FD_INSTALL	= 54,
	IORING_OP_FTRUNCATE		= 55,
	IORING_OP_BIND			= 56,
	IORING_OP_LISTEN		= 57,
	IORING_OP_RECV_ZC		= 58,
	IORING_OP_EPOLL_WAIT		= 59,
	IORING_OP_READV_FIXED		= 60,
	IORING_OP_WRITEV_FIXED		= 61,
	IORING_OP_PIPE			= 62,
	IORING_OP_NOP128		= 63,
	IORING_OP_URING_CMD128		= 64,

	/* one past the highest opcode; keep at the end */
	IORING_OP_LAST,
};

/* sqe->uring_cmd_flags (the top 8 bits are reserved for the kernel) */
#define IORING_URING_CMD_FIXED		(1U << 0)
#define IORING_URING_CMD_MASK		IORING_URING_CMD_FIXED

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC		(1U << 0)

/* sqe->timeout_flags */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)
/* sqe->addr holds the timeout in ns rather than a timespec pointer */
#define IORING_TIMEOUT_IMMEDIATE_ARG	(1U << 7)
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* sqe->splice_flags: io_uring extension to the splice(2) flags */
#define SPLICE_F_FD_IN_FIXED		(1U << 31)

/* IORING_OP_POLL_ADD command flags, carried in sqe->len */
#define IORING_POLL_ADD_MULTI		(1U << 0)
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)

/* IORING_OP_ASYNC_CANCEL / sync cancel flags */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)
#define IORING_ASYNC_CANCEL_FD		(1U << 1)
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)
#define IORING_ASYNC_CANCEL_OP		(1U << 5)

/* send/recv family flags, carried in sqe->ioprio */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)
#define IORING_RECVSEND_BUNDLE		(1U << 4)
#define IORING_SEND_VECTORIZED		(1U << 5)

/* set in cqe->res of a zero-copy notification when data had to be copied */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* accept flags, carried in sqe->ioprio */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)

/* IORING_OP_MSG_RING command, carried in sqe->addr */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA		= 0,
	IORING_MSG_SEND_FD	= 1,
};

/* sqe->msg_ring_flags */
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)

/* sqe->install_fd_flags */
#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* sqe->nop_flags */
#define IORING_NOP_INJECT_RESULT	(1U << 0)
#define IORING_NOP_CQE32		(1U << 5)

/* ------------------------------------------------------------------------
 * Completion queue entry
 * ------------------------------------------------------------------------ */

struct io_uring_cqe {
	__u64	user_data;
	__s32	res;
	__u32	flags;
	/* extra 16 bytes present on IORING_SETUP_CQE32 rings */
	__u64	big_cqe[];
};

/* cqe->flags */
#define IORING_CQE_F_BUFFER		(1U << 0)
#define IORING_CQE_F_MORE		(1U << 1)
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)
#define IORING_CQE_F_NOTIF		(1U << 3)
#define IORING_CQE_F_BUF_MORE		(1U << 4)
#define IORING_CQE_F_SKIP		(1U << 5)
#define IORING_CQE_F_32			(1U << 15)

/* buffer ID lives in the upper 16 bits of cqe->flags */
#define IORING_CQE_BUFFER_SHIFT		16

/* ------------------------------------------------------------------------
 * mmap(2) offsets and ring layout
 * ------------------------------------------------------------------------ */

#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
#define IORING_OFF_PBUF_RING		0x80000000ULL
#define IORING_OFF_PBUF_SHIFT		16
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

struct io_sqring_offsets {
	__u32	head;
	__u32	tail;
	__u32	ring_mask;
	__u32	ring_entries;
	__u32	flags;
	__u32	dropped;
	__u32	array;
	__u32	resv1;
	__u64	user_addr;
};

/* SQ ring flags word */
#define IORING_SQ_NEED_WAKEUP		(1U << 0)
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)
#define IORING_SQ_TASKRUN		(1U << 2)

struct io_cqring_offsets {
	__u32	head;
	__u32	tail;
	__u32	ring_mask;
	__u32	ring_entries;
	__u32	overflow;
	__u32	cqes;
	__u32	flags;
	__u32	resv1;
	__u64	user_addr;
};

/* CQ ring flags word */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/* io_uring_enter(2) flags */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)
#define IORING_ENTER_REGISTERED_RING	(1U << 4)
#define IORING_ENTER_ABS_TIMER		(1U << 5)
#define IORING_ENTER_EXT_ARG_REG	(1U << 6)
#define IORING_ENTER_NO_IOWAIT		(1U << 7)

/* io_uring_setup(2) argument; the kernel fills in the output fields */
struct io_uring_params {
	__u32	sq_entries;
	__u32	cq_entries;
	__u32	flags;
	__u32	sq_thread_cpu;
	__u32	sq_thread_idle;
	__u32	features;
	__u32	wq_fd;
	__u32	resv[3];
	struct io_sqring_offsets	sq_off;
	struct io_cqring_offsets	cq_off;
};

/* io_uring_params->features */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)
#define IORING_FEAT_RW_ATTR		(1U << 16)
#define IORING_FEAT_NO_IOWAIT		(1U << 17)

/* ------------------------------------------------------------------------
 * io_uring_register(2)
 * ------------------------------------------------------------------------ */

enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,
	IORING_REGISTER_SYNC_CANCEL		= 24,
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	IORING_REGISTER_PBUF_STATUS		= 26,
	IORING_REGISTER_NAPI			= 27,
	IORING_UNREGISTER_NAPI			= 28,
	IORING_REGISTER_CLOCK			= 29,
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	IORING_REGISTER_SEND_MSG_RING		= 31,
	IORING_REGISTER_ZCRX_IFQ		= 32,
	IORING_REGISTER_RESIZE_RINGS		= 33,
	IORING_REGISTER_MEM_REGION		= 34,
	IORING_REGISTER_QUERY			= 35,
	IORING_REGISTER_ZCRX_CTRL		= 36,
	IORING_REGISTER_BPF_FILTER		= 37,

	/* one past the highest opcode */
	IORING_REGISTER_LAST,

	/* OR'ed into the opcode when "fd" is a registered ring index */
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31
};

/* io-wq worker pools, for IORING_REGISTER_IOWQ_MAX_WORKERS */
enum io_wq_type {
	IO_WQ_BOUND	= 0,
	IO_WQ_UNBOUND	= 1,
};

/* legacy argument of IORING_REGISTER_FILES_UPDATE */
struct io_uring_files_update {
	__u32		offset;
	__u32		resv;
	__aligned_u64	fds;		/* really a __s32 * */
};

/* io_uring_region_desc->flags */
enum {
	IORING_MEM_REGION_TYPE_USER		= 1,
};

struct io_uring_region_desc {
	__u64	user_addr;
	__u64	size;
	__u32	flags;
	__u32	id;
	__u64	mmap_offset;
	__u64	__resv[4];
};

/* io_uring_mem_region_reg->flags */
enum {
	IORING_MEM_REGION_REG_WAIT_ARG		= 1,
};

/* argument of IORING_REGISTER_MEM_REGION */
struct io_uring_mem_region_reg {
	__u64	region_uptr;	/* struct io_uring_region_desc * */
	__u64	flags;
	__u64	__resv[2];
};

/* io_uring_rsrc_register->flags: start with an all-empty table */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

struct io_uring_rsrc_register {
	__u32		nr;
	__u32		flags;
	__u64		resv2;
	__aligned_u64	data;
	__aligned_u64	tags;
};

struct io_uring_rsrc_update {
	__u32		offset;
	__u32		resv;
	__aligned_u64	data;
};

struct io_uring_rsrc_update2 {
	__u32		offset;
	__u32		resv;
	__aligned_u64	data;
	__aligned_u64	tags;
	__u32		nr;
	__u32		resv2;
};

/* file table update: leave this slot untouched */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* io_uring_probe_op->flags */
#define IO_URING_OP_SUPPORTED		(1U << 0)

struct io_uring_probe_op {
	__u8	op;
	__u8	resv;
	__u16	flags;
	__u32	resv2;
};

struct io_uring_probe {
	__u8	last_op;
	__u8	ops_len;
	__u16	resv;
	__u32	resv2[3];
	struct io_uring_probe_op	ops[];
};

struct io_uring_restriction {
	__u16	opcode;		/* IORING_RESTRICTION_* */
	union {
		__u8	register_op;
		__u8	sqe_op;
		__u8	sqe_flags;
	};
	__u8	resv;
	__u32	resv2[3];
};

struct io_uring_task_restriction {
	__u16	flags;
	__u16	nr_res;
	__u32	resv[3];
	struct io_uring_restriction	restrictions[0];
};

/* argument of IORING_REGISTER_CLOCK */
struct io_uring_clock_register {
	__u32	clockid;
	__u32	__resv[3];
};

/* io_uring_clone_buffers->flags */
enum {
	IORING_REGISTER_SRC_REGISTERED	= (1U << 0),
	IORING_REGISTER_DST_REPLACE	= (1U << 1),
};

/* argument of IORING_REGISTER_CLONE_BUFFERS */
struct io_uring_clone_buffers {
	__u32	src_fd;
	__u32	flags;
	__u32	src_off;
	__u32	dst_off;
	__u32	nr;
	__u32	pad[3];
};

/* ------------------------------------------------------------------------
 * Provided buffer rings
 * ------------------------------------------------------------------------ */

struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;
	__u16	resv;
};

struct io_uring_buf_ring {
	union {
		/* the ring tail shares storage with bufs[0].resv */
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		struct io_uring_buf	bufs[0];
	};
};

/* io_uring_buf_reg->flags */
enum io_uring_register_pbuf_ring_flags {
	IOU_PBUF_RING_MMAP	= 1,	/* kernel allocates, app mmaps */
	IOU_PBUF_RING_INC	= 2,	/* incremental buffer consumption */
};

/* argument of IORING_REGISTER_PBUF_RING / IORING_UNREGISTER_PBUF_RING */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;
	__u16	bgid;
	__u16	flags;
	__u32	min_left;
	__u32	resv[5];
};

/* argument of IORING_REGISTER_PBUF_STATUS */
struct io_uring_buf_status {
	__u32	buf_group;	/* in */
	__u32	head;		/* out */
	__u32	resv[8];
};

/* argument of IORING_REGISTER_NAPI / IORING_UNREGISTER_NAPI */
struct io_uring_napi {
	__u32	busy_poll_to;
	__u8	prefer_busy_poll;
	__u8	pad[3];
	__u64	resv;
};

/* io_uring_restriction->opcode */
enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0,
	IORING_RESTRICTION_SQE_OP		= 1,
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,

	IORING_RESTRICTION_LAST
};

/* io_uring_reg_wait->flags */
enum {
	IORING_REG_WAIT_TS		= (1U << 0),
};

/*
 * Wait descriptor living in a registered region, selected by index when
 * entering with IORING_ENTER_EXT_ARG_REG.
 */
struct io_uring_reg_wait {
	struct __kernel_timespec	ts;
	__u32				min_wait_usec;
	__u32				flags;
	__u64				sigmask;
	__u32				sigmask_sz;
	__u32				pad[3];
	__u64				pad2[2];
};

/* io_uring_enter(2) argument when IORING_ENTER_EXT_ARG is set */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	min_wait_usec;
	__u64	ts;
};

/* argument of IORING_REGISTER_SYNC_CANCEL */
struct io_uring_sync_cancel_reg {
	__u64				addr;
	__s32				fd;
	__u32				flags;
	struct __kernel_timespec	timeout;
	__u8				opcode;
	__u8				pad[7];
	__u64				pad2[3];
};

/* argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len) */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/* header placed in front of multishot recvmsg payloads */
struct io_uring_recvmsg_out {
	__u32	namelen;
	__u32	controllen;
	__u32	payloadlen;
	__u32	flags;
};

/* sqe->cmd_op values for IORING_OP_URING_CMD on sockets */
enum io_uring_socket_op {
	SOCKET_URING_OP_SIOCINQ		= 0,
	SOCKET_URING_OP_SIOCOUTQ	= 1,
	SOCKET_URING_OP_GETSOCKOPT	= 2,
	SOCKET_URING_OP_SETSOCKOPT	= 3,
	SOCKET_URING_OP_TX_TIMESTAMP	= 4,
	SOCKET_URING_OP_GETSOCKNAME	= 5,
};

/* SOCKET_URING_OP_TX_TIMESTAMP completion encoding in cqe->flags */
#define IORING_TIMESTAMP_HW_SHIFT	16
#define IORING_TIMESTAMP_TYPE_SHIFT	(IORING_TIMESTAMP_HW_SHIFT + 1)
#define IORING_CQE_F_TSTAMP_HW		((__u32)1 << IORING_TIMESTAMP_HW_SHIFT)

struct io_timespec {
	__u64	tv_sec;
	__u64	tv_nsec;
};

/* ------------------------------------------------------------------------
 * Zero-copy receive (zcrx)
 * ------------------------------------------------------------------------ */

/* refill queue entry */
struct io_uring_zcrx_rqe {
	__u64	off;
	__u32	len;
	__u32	__pad;
};

/* trailer of a 32 byte CQE produced by IORING_OP_RECV_ZC */
struct io_uring_zcrx_cqe {
	__u64	off;
	__u64	__pad;
};

/* area id is stored in the offset bits from here upwards */
#define IORING_ZCRX_AREA_SHIFT		48
#define IORING_ZCRX_AREA_MASK		(~(((__u64)1 << IORING_ZCRX_AREA_SHIFT) - 1))

struct io_uring_zcrx_offsets {
	__u32	head;
	__u32	tail;
	__u32	rqes;
	__u32	__resv2;
	__u64	__resv[2];
};

enum io_uring_zcrx_area_flags {
	IORING_ZCRX_AREA_DMABUF		= 1,
};

struct io_uring_zcrx_area_reg {
	__u64	addr;
	__u64	len;
	__u64	rq_area_token;
	__u32	flags;
	__u32	dmabuf_fd;
	__u64	__resv2[2];
};

/* io_uring_zcrx_ifq_reg->flags */
enum zcrx_reg_flags {
	ZCRX_REG_IMPORT		= 1,
	ZCRX_REG_NODEV		= 2,	/* copy-only instance, no netdev */
};

enum zcrx_features {
	ZCRX_FEATURE_RX_PAGE_SIZE	= 1 << 0,
};

/* argument of IORING_REGISTER_ZCRX_IFQ */
struct io_uring_zcrx_ifq_reg {
	__u32	if_idx;
	__u32	if_rxq;
	__u32	rq_entries;
	__u32	flags;

	__u64	area_ptr;	/* struct io_uring_zcrx_area_reg * */
	__u64	region_ptr;	/* struct io_uring_region_desc * */

	struct io_uring_zcrx_offsets	offsets;
	__u32	zcrx_id;
	__u32	rx_buf_len;
	__u64	__resv[3];
};

/* zcrx_ctrl->op, for IORING_REGISTER_ZCRX_CTRL */
enum zcrx_ctrl_op {
	ZCRX_CTRL_FLUSH_RQ	= 0,
	ZCRX_CTRL_EXPORT	= 1,

	__ZCRX_CTRL_LAST,
};

struct zcrx_ctrl_flush_rq {
	__u64	__resv[6];
};

struct zcrx_ctrl_export {
	__u32	zcrx_fd;
	__u32	__resv1[11];
};

struct zcrx_ctrl {
	__u32	zcrx_id;
	__u32	op;		/* enum zcrx_ctrl_op */
	__u64	__resv[2];

	union {
		struct zcrx_ctrl_export		zc_export;
		struct zcrx_ctrl_flush_rq	zc_flush;
	};
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
