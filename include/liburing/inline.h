/* SPDX-License-Identifier: MIT */
/*
 * liburing-rs: inline fast paths for the calls a liburing program makes once
 * per operation (getting an SQE, the common preparers, user_data, peeking and
 * consuming CQEs). Each is a function-like macro over a static inline twin of
 * the exported function of the same name, so:
 *   - a call compiles inline, as with liburing's own header;
 *   - taking the function's address, or writing (io_uring_get_sqe)(ring),
 *     uses the exported function, which behaves identically;
 *   - defining LIBURING_RS_NO_INLINE before including <liburing.h> turns the
 *     fast paths off altogether.
 * ctests/inline_parity.c proves both write the same bytes and results.
 *
 * Like the exported functions, these tolerate a NULL or not-set-up ring and
 * a NULL SQE instead of crashing. Peeking, waiting and iterating defer to
 * the library while tracing or statistics are on (io_uring_rs_hooks), so
 * they see every CQE handed out.
 */
#ifndef LIBURING_INLINE_H
#define LIBURING_INLINE_H

#ifndef LIBURING_RS_NO_INLINE

#ifdef __cplusplus
extern "C" {
#endif

/* Nonzero while the library must see every reap (see liburing/rs.h). */
extern unsigned char io_uring_rs_hooks;

static inline int __uring_rs_hooked(void)
{
	return uring_unlikely(__atomic_load_n(&io_uring_rs_hooks, __ATOMIC_RELAXED));
}

static inline unsigned __uring_rs_sq_head(const struct io_uring *ring)
{
	/* Under SQPOLL the kernel thread frees slots concurrently. */
	if (ring->flags & IORING_SETUP_SQPOLL)
		return __atomic_load_n(ring->sq.khead, __ATOMIC_ACQUIRE);
	return __atomic_load_n(ring->sq.khead, __ATOMIC_RELAXED);
}

/* The CQ head: only we write it, so no ordering is needed to read it back,
 * but the kernel reads it concurrently, so the access is atomic. */
static inline unsigned __uring_rs_cq_head(const struct io_uring *ring)
{
	return __atomic_load_n(ring->cq.khead, __ATOMIC_RELAXED);
}

static inline struct io_uring_sqe *__uring_rs_get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe;
	unsigned tail;

	if (uring_unlikely(!ring || !ring->sq.sqes))
		return NULL;
	tail = ring->sq.sqe_tail;
	if (tail - __uring_rs_sq_head(ring) >= ring->sq.ring_entries)
		return NULL;
	sqe = &ring->sq.sqes[(tail & ring->sq.ring_mask)
			     << !!(ring->flags & IORING_SETUP_SQE128)];
	ring->sq.sqe_tail = tail + 1;
	/* What a preparer may leave alone must start out clear. */
	io_uring_initialize_sqe(sqe);
	return sqe;
}

static inline unsigned __uring_rs_sq_ready(const struct io_uring *ring)
{
	if (uring_unlikely(!ring || !ring->sq.sqes))
		return 0;
	return ring->sq.sqe_tail - __uring_rs_sq_head(ring);
}

static inline unsigned __uring_rs_sq_space_left(const struct io_uring *ring)
{
	if (uring_unlikely(!ring || !ring->sq.sqes))
		return 0;
	return ring->sq.ring_entries - __uring_rs_sq_ready(ring);
}

static inline void __uring_rs_prep_rw(int op, struct io_uring_sqe *sqe, int fd,
				      const void *addr, unsigned len, __u64 off)
{
	if (uring_unlikely(!sqe))
		return;
	sqe->opcode = (__u8) op;
	sqe->fd = fd;
	sqe->off = off;
	sqe->addr = (__u64) (uintptr_t) addr;
	sqe->len = len;
}

static inline void __uring_rs_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	if (sqe)
		sqe->user_data = (__u64) (uintptr_t) data;
}

static inline void __uring_rs_sqe_set_data64(struct io_uring_sqe *sqe, __u64 data)
{
	if (sqe)
		sqe->user_data = data;
}

static inline void __uring_rs_sqe_set_flags(struct io_uring_sqe *sqe, unsigned flags)
{
	if (sqe)
		sqe->flags = (__u8) flags;
}

static inline void __uring_rs_prep_fixed(int op, struct io_uring_sqe *sqe, int fd,
					 const void *buf, unsigned len, __u64 off,
					 int buf_index)
{
	__uring_rs_prep_rw(op, sqe, fd, buf, len, off);
	if (sqe)
		sqe->buf_index = (__u16) buf_index;
}

static inline void __uring_rs_prep_sendrecv(int op, struct io_uring_sqe *sqe, int fd,
					    const void *buf, size_t len, int flags)
{
	__uring_rs_prep_rw(op, sqe, fd, buf, (__u32) len, 0);
	if (sqe)
		sqe->msg_flags = (__u32) flags;
}

static inline unsigned __uring_rs_cq_ready(const struct io_uring *ring)
{
	if (uring_unlikely(!ring || !ring->cq.cqes))
		return 0;
	return __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE) - __uring_rs_cq_head(ring);
}

static inline void __uring_rs_cq_advance(struct io_uring *ring, unsigned nr)
{
	/* No tracing hook here: a CQE is traced when the library hands it
	 * out (peek, wait, iterate), not when its slot is returned. */
	if (uring_likely(nr && ring && ring->cq.cqes))
		/* Our reads of the CQEs must finish before the kernel reuses them. */
		__atomic_store_n(ring->cq.khead, __uring_rs_cq_head(ring) + nr, __ATOMIC_RELEASE);
}

static inline void __uring_rs_cqe_seen(struct io_uring *ring, struct io_uring_cqe *cqe)
{
	if (cqe)
		__uring_rs_cq_advance(ring, (cqe->flags & IORING_CQE_F_32) ? 2 : 1);
}

/* The CQE at the head when the application may have it as is: not a skip
 * entry, nor liburing's internal timeout on kernels without EXT_ARG. NULL
 * sends the caller to the library. */
static inline struct io_uring_cqe *__uring_rs_head_cqe(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	unsigned head;

	if (uring_unlikely(!ring || !ring->cq.cqes || __uring_rs_hooked()))
		return NULL;
	head = __uring_rs_cq_head(ring);
	if (head == __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE))
		return NULL;
	cqe = &ring->cq.cqes[(head & ring->cq.ring_mask)
			     << !!(ring->flags & IORING_SETUP_CQE32)];
	if (uring_unlikely(cqe->flags & IORING_CQE_F_SKIP))
		return NULL;
	if (uring_unlikely(!(ring->features & IORING_FEAT_EXT_ARG) &&
			   cqe->user_data == LIBURING_UDATA_TIMEOUT))
		return NULL;
	return cqe;
}

static inline int __uring_rs_peek_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr)
{
	struct io_uring_cqe *cqe = __uring_rs_head_cqe(ring);

	if (cqe && cqe_ptr) {
		*cqe_ptr = cqe;
		return 0;
	}
	return (io_uring_peek_cqe)(ring, cqe_ptr);
}

static inline int __uring_rs_wait_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr)
{
	struct io_uring_cqe *cqe = __uring_rs_head_cqe(ring);

	if (cqe && cqe_ptr) {
		*cqe_ptr = cqe;
		return 0;
	}
	return (io_uring_wait_cqe)(ring, cqe_ptr);
}

static inline struct io_uring_cqe_iter __uring_rs_cqe_iter_init(const struct io_uring *ring)
{
	struct io_uring_cqe_iter it = { NULL, 0, 0, 0, 0 };

	if (uring_unlikely(!ring || !ring->cq.cqes || __uring_rs_hooked()))
		return (io_uring_cqe_iter_init)(ring);
	it.cqes = ring->cq.cqes;
	it.mask = ring->cq.ring_mask;
	it.shift = !!(ring->flags & IORING_SETUP_CQE32);
	it.head = __uring_rs_cq_head(ring);
	/* Acquire: every CQE before the tail is visible. */
	it.tail = __atomic_load_n(ring->cq.ktail, __ATOMIC_ACQUIRE);
	return it;
}

static inline bool __uring_rs_cqe_iter_next(struct io_uring_cqe_iter *it,
					    struct io_uring_cqe **cqe)
{
	struct io_uring_cqe *c;

	if (uring_unlikely(!it || !cqe) || it->head == it->tail)
		return false;
	c = &it->cqes[(it->head & it->mask) << it->shift];
	it->head += (c->flags & IORING_CQE_F_32) ? 2 : 1;
	*cqe = c;
	return true;
}

static inline void *__uring_rs_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return cqe ? (void *) (uintptr_t) cqe->user_data : NULL;
}

static inline __u64 __uring_rs_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe ? cqe->user_data : 0;
}

#ifdef __cplusplus
}
#endif

#define io_uring_get_sqe(ring) __uring_rs_get_sqe(ring)
#define io_uring_sq_ready(ring) __uring_rs_sq_ready(ring)
#define io_uring_sq_space_left(ring) __uring_rs_sq_space_left(ring)
#define io_uring_sqe_set_data(sqe, data) __uring_rs_sqe_set_data(sqe, data)
#define io_uring_sqe_set_data64(sqe, data) __uring_rs_sqe_set_data64(sqe, data)
#define io_uring_sqe_set_flags(sqe, flags) __uring_rs_sqe_set_flags(sqe, flags)
#define io_uring_prep_rw(op, sqe, fd, addr, len, off) \
	__uring_rs_prep_rw(op, sqe, fd, addr, len, off)
#define io_uring_prep_nop(sqe) __uring_rs_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0)
#define io_uring_prep_read(sqe, fd, buf, n, off) \
	__uring_rs_prep_rw(IORING_OP_READ, sqe, fd, buf, n, off)
#define io_uring_prep_write(sqe, fd, buf, n, off) \
	__uring_rs_prep_rw(IORING_OP_WRITE, sqe, fd, buf, n, off)
#define io_uring_prep_readv(sqe, fd, iov, n, off) \
	__uring_rs_prep_rw(IORING_OP_READV, sqe, fd, iov, n, off)
#define io_uring_prep_writev(sqe, fd, iov, n, off) \
	__uring_rs_prep_rw(IORING_OP_WRITEV, sqe, fd, iov, n, off)
#define io_uring_prep_read_fixed(sqe, fd, buf, n, off, idx) \
	__uring_rs_prep_fixed(IORING_OP_READ_FIXED, sqe, fd, buf, n, off, idx)
#define io_uring_prep_write_fixed(sqe, fd, buf, n, off, idx) \
	__uring_rs_prep_fixed(IORING_OP_WRITE_FIXED, sqe, fd, buf, n, off, idx)
#define io_uring_prep_send(sqe, fd, buf, n, flags) \
	__uring_rs_prep_sendrecv(IORING_OP_SEND, sqe, fd, buf, n, flags)
#define io_uring_prep_recv(sqe, fd, buf, n, flags) \
	__uring_rs_prep_sendrecv(IORING_OP_RECV, sqe, fd, buf, n, flags)
#define io_uring_cq_ready(ring) __uring_rs_cq_ready(ring)
#define io_uring_cq_advance(ring, nr) __uring_rs_cq_advance(ring, nr)
#define io_uring_cqe_seen(ring, cqe) __uring_rs_cqe_seen(ring, cqe)
#define io_uring_peek_cqe(ring, cqe_ptr) __uring_rs_peek_cqe(ring, cqe_ptr)
#define io_uring_wait_cqe(ring, cqe_ptr) __uring_rs_wait_cqe(ring, cqe_ptr)
#define io_uring_cqe_get_data(cqe) __uring_rs_cqe_get_data(cqe)
#define io_uring_cqe_iter_init(ring) __uring_rs_cqe_iter_init(ring)
#define io_uring_cqe_iter_next(it, cqe) __uring_rs_cqe_iter_next(it, cqe)
#define io_uring_cqe_get_data64(cqe) __uring_rs_cqe_get_data64(cqe)

#endif /* LIBURING_RS_NO_INLINE */
#endif /* LIBURING_INLINE_H */
