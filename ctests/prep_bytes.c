/* Byte-exact check of every exported preparer and SQE setter.
 *
 * Each case starts two 128-byte SQE areas from the same background (a
 * byte pattern, then the fields io_uring_get_sqe clears), runs the
 * preparer on one, and builds the expected SQE in the other field by
 * field from liburing 2.15's documented layout: which value each argument
 * lands in, with C's conversions (int to a 64-bit field sign-extends, to
 * a 16-bit field truncates). Every byte of both areas must then agree, so
 * fields a preparer must leave alone, and the second half of a 128-byte
 * SQE, are checked too. Each preparer is also called with a NULL SQE.
 *
 * ctests/run-prep_bytes.sh checks that every io_uring_prep_* in the
 * header has a case here. */
#include <liburing.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/xattr.h>
#include "harness.h"

/* Distinct fake pointers: preparers only store them. */
#define P(n) ((void *) (uintptr_t) (0x5ee0001000ull + (n) * 0x10))
#define U(n) ((__u64) (uintptr_t) P(n))

static unsigned char background[2 * sizeof(struct io_uring_sqe)];
static int cases;

/* The state io_uring_get_sqe hands out: the background with the fields
 * io_uring_initialize_sqe clears. */
static void start(struct io_uring_sqe *s)
{
	memcpy(s, background, sizeof(background));
	s->flags = 0;
	s->ioprio = 0;
	s->rw_flags = 0;
	s->buf_index = 0;
	s->personality = 0;
	s->file_index = 0;
	s->addr3 = 0;
	s->__pad2[0] = 0;
}

static void compare(const char *name, int line, const void *got, const void *want)
{
	const unsigned char *g = got, *w = want;
	int bad = 0;

	for (size_t i = 0; i < sizeof(background); i++) {
		if (g[i] != w[i]) {
			fprintf(stderr, "%s (line %d): byte %zu is 0x%02x, expected 0x%02x\n",
				name, line, i, g[i], w[i]);
			bad = 1;
		}
	}
	if (bad)
		exit(1);
}

/* CASE(call, (expectations)): `call` uses `sqe`; the expectations set
 * fields of `e`, as a parenthesised comma expression. */
#define CASE(call, expect) do {						\
	struct io_uring_sqe got_[2], want_[2];				\
	start(got_);							\
	start(want_);							\
	{ struct io_uring_sqe *sqe = got_; call; }			\
	{ struct io_uring_sqe *e = want_; (void) e; expect; }		\
	compare(#call, __LINE__, got_, want_);				\
	{ struct io_uring_sqe *sqe = NULL; call; }			\
	cases++;							\
} while (0)

/* The fields prep_rw writes. */
#define RW(op_, fd_, addr_, len_, off_) \
	(e->opcode = (op_), e->fd = (fd_), e->addr = (addr_), e->len = (len_), e->off = (off_))

/* The kernel reads poll32_events with its halves swapped on big endian. */
static __u32 poll32(__u32 mask)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (mask << 16) | (mask >> 16);
#else
	return mask;
#endif
}

static void generic(void)
{
	CASE(io_uring_prep_rw(0x117, sqe, 5, P(1), 77, 0x1122334455667788ull),
	     (RW(0x17, 5, U(1), 77, 0x1122334455667788ull)));
	CASE(io_uring_prep_nop(sqe), (RW(IORING_OP_NOP, -1, 0, 0, 0)));
	CASE(io_uring_prep_nop128(sqe), (RW(IORING_OP_NOP128, -1, 0, 0, 0)));
	CASE(io_uring_sqe_set_data(sqe, P(2)), (e->user_data = U(2)));
	CASE(io_uring_sqe_set_data64(sqe, 0x8877665544332211ull), (e->user_data = 0x8877665544332211ull));
	CASE(io_uring_sqe_set_flags(sqe, 0x145), (e->flags = 0x45));
	CASE(io_uring_sqe_set_buf_group(sqe, 0x10007), (e->buf_group = 7));
}

static void rw(void)
{
	CASE(io_uring_prep_read(sqe, 3, P(1), 100, (__u64) -1),
	     (RW(IORING_OP_READ, 3, U(1), 100, (__u64) -1)));
	CASE(io_uring_prep_write(sqe, 4, P(2), 200, 0x1000),
	     (RW(IORING_OP_WRITE, 4, U(2), 200, 0x1000)));
	CASE(io_uring_prep_readv(sqe, 5, P(3), 3, 0x10),
	     (RW(IORING_OP_READV, 5, U(3), 3, 0x10)));
	CASE(io_uring_prep_readv2(sqe, 5, P(3), 3, 0x10, RWF_NOWAIT | RWF_HIPRI),
	     (RW(IORING_OP_READV, 5, U(3), 3, 0x10), e->rw_flags = RWF_NOWAIT | RWF_HIPRI));
	CASE(io_uring_prep_writev(sqe, 6, P(4), 2, 0x20),
	     (RW(IORING_OP_WRITEV, 6, U(4), 2, 0x20)));
	CASE(io_uring_prep_writev2(sqe, 6, P(4), 2, 0x20, -8),
	     (RW(IORING_OP_WRITEV, 6, U(4), 2, 0x20), e->rw_flags = -8));
	CASE(io_uring_prep_read_fixed(sqe, 7, P(5), 4096, 0x30, 0x10007),
	     (RW(IORING_OP_READ_FIXED, 7, U(5), 4096, 0x30), e->buf_index = 7));
	CASE(io_uring_prep_write_fixed(sqe, 8, P(6), 512, 0x40, 3),
	     (RW(IORING_OP_WRITE_FIXED, 8, U(6), 512, 0x40), e->buf_index = 3));
	CASE(io_uring_prep_readv_fixed(sqe, 9, P(7), 4, 0x50, RWF_DSYNC, 0x20009),
	     (RW(IORING_OP_READV_FIXED, 9, U(7), 4, 0x50), e->rw_flags = RWF_DSYNC, e->buf_index = 9));
	CASE(io_uring_prep_writev_fixed(sqe, 10, P(8), 1, 0x60, RWF_SYNC, 11),
	     (RW(IORING_OP_WRITEV_FIXED, 10, U(8), 1, 0x60), e->rw_flags = RWF_SYNC, e->buf_index = 11));
	CASE(io_uring_prep_read_multishot(sqe, 11, 256, 0x70, 0x10003),
	     (RW(IORING_OP_READ_MULTISHOT, 11, 0, 256, 0x70), e->buf_group = 3,
	      e->flags = IOSQE_BUFFER_SELECT));
}

static void file(void)
{
	CASE(io_uring_prep_fsync(sqe, 12, IORING_FSYNC_DATASYNC),
	     (RW(IORING_OP_FSYNC, 12, 0, 0, 0), e->fsync_flags = IORING_FSYNC_DATASYNC));
	CASE(io_uring_prep_sync_file_range(sqe, 13, 4096, 0x2000, SYNC_FILE_RANGE_WRITE),
	     (RW(IORING_OP_SYNC_FILE_RANGE, 13, 0, 4096, 0x2000),
	      e->sync_range_flags = SYNC_FILE_RANGE_WRITE));
	CASE(io_uring_prep_fallocate(sqe, 14, FALLOC_FL_KEEP_SIZE, 0x3000, 0x123456789ull),
	     (RW(IORING_OP_FALLOCATE, 14, 0x123456789ull, FALLOC_FL_KEEP_SIZE, 0x3000)));
	CASE(io_uring_prep_ftruncate(sqe, 15, -2),
	     (RW(IORING_OP_FTRUNCATE, 15, 0, 0, (__u64) -2)));
	CASE(io_uring_prep_ftruncate(sqe, 15, 0x500000000ll),
	     (RW(IORING_OP_FTRUNCATE, 15, 0, 0, 0x500000000ull)));
	CASE(io_uring_prep_fadvise(sqe, 16, 0x40, 0x50, POSIX_FADV_DONTNEED),
	     (RW(IORING_OP_FADVISE, 16, 0, 0x50, 0x40), e->fadvise_advice = POSIX_FADV_DONTNEED));
	CASE(io_uring_prep_fadvise64(sqe, 16, 0x40, 0x500000000ll, POSIX_FADV_SEQUENTIAL),
	     (RW(IORING_OP_FADVISE, 16, 0x500000000ull, 0, 0x40),
	      e->fadvise_advice = POSIX_FADV_SEQUENTIAL));
	CASE(io_uring_prep_fadvise64(sqe, 16, 0x40, -1, 1),
	     (RW(IORING_OP_FADVISE, 16, (__u64) -1, 0, 0x40), e->fadvise_advice = 1));
	CASE(io_uring_prep_madvise(sqe, P(9), 0x60, MADV_DONTNEED),
	     (RW(IORING_OP_MADVISE, -1, U(9), 0x60, 0), e->fadvise_advice = MADV_DONTNEED));
	CASE(io_uring_prep_madvise64(sqe, P(9), 0x700000000ll, MADV_WILLNEED),
	     (RW(IORING_OP_MADVISE, -1, U(9), 0, 0x700000000ull), e->fadvise_advice = MADV_WILLNEED));
}

static void fs(void)
{
	const int of = O_CREAT | O_RDWR | O_CLOEXEC;

	CASE(io_uring_prep_openat(sqe, 20, P(1), of, 0644),
	     (RW(IORING_OP_OPENAT, 20, U(1), 0644, 0), e->open_flags = of));
	CASE(io_uring_prep_openat_direct(sqe, 20, P(1), of, 0600, 5),
	     (RW(IORING_OP_OPENAT, 20, U(1), 0600, 0), e->open_flags = of, e->file_index = 6));
	CASE(io_uring_prep_openat_direct(sqe, 20, P(1), of, 0600, IORING_FILE_INDEX_ALLOC),
	     (RW(IORING_OP_OPENAT, 20, U(1), 0600, 0), e->open_flags = of,
	      e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_open(sqe, P(2), O_RDONLY, 0),
	     (RW(IORING_OP_OPENAT, AT_FDCWD, U(2), 0, 0), e->open_flags = O_RDONLY));
	CASE(io_uring_prep_open_direct(sqe, P(2), of, 0640, 0),
	     (RW(IORING_OP_OPENAT, AT_FDCWD, U(2), 0640, 0), e->open_flags = of, e->file_index = 1));
	CASE(io_uring_prep_openat2(sqe, 21, P(3), P(4)),
	     (RW(IORING_OP_OPENAT2, 21, U(3), sizeof(struct open_how), U(4))));
	CASE(io_uring_prep_openat2_direct(sqe, 21, P(3), P(4), 9),
	     (RW(IORING_OP_OPENAT2, 21, U(3), sizeof(struct open_how), U(4)), e->file_index = 10));
	CASE(io_uring_prep_openat2_direct(sqe, 21, P(3), P(4), IORING_FILE_INDEX_ALLOC),
	     (RW(IORING_OP_OPENAT2, 21, U(3), sizeof(struct open_how), U(4)),
	      e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_close(sqe, 22), (RW(IORING_OP_CLOSE, 22, 0, 0, 0)));
	CASE(io_uring_prep_close_direct(sqe, 15),
	     (RW(IORING_OP_CLOSE, 0, 0, 0, 0), e->file_index = 16));
	CASE(io_uring_prep_statx(sqe, 23, P(5), AT_SYMLINK_NOFOLLOW, STATX_SIZE | STATX_MODE, P(6)),
	     (RW(IORING_OP_STATX, 23, U(5), STATX_SIZE | STATX_MODE, U(6)),
	      e->statx_flags = AT_SYMLINK_NOFOLLOW));
	CASE(io_uring_prep_renameat(sqe, 24, P(7), 25, P(8), RENAME_NOREPLACE),
	     (RW(IORING_OP_RENAMEAT, 24, U(7), 25, U(8)), e->rename_flags = RENAME_NOREPLACE));
	CASE(io_uring_prep_rename(sqe, P(7), P(8)),
	     (RW(IORING_OP_RENAMEAT, AT_FDCWD, U(7), (__u32) AT_FDCWD, U(8)), e->rename_flags = 0));
	CASE(io_uring_prep_unlinkat(sqe, 26, P(9), AT_REMOVEDIR),
	     (RW(IORING_OP_UNLINKAT, 26, U(9), 0, 0), e->unlink_flags = AT_REMOVEDIR));
	CASE(io_uring_prep_unlink(sqe, P(9), 0),
	     (RW(IORING_OP_UNLINKAT, AT_FDCWD, U(9), 0, 0), e->unlink_flags = 0));
	CASE(io_uring_prep_mkdirat(sqe, 27, P(10), 0755),
	     (RW(IORING_OP_MKDIRAT, 27, U(10), 0755, 0)));
	CASE(io_uring_prep_mkdir(sqe, P(10), 0700),
	     (RW(IORING_OP_MKDIRAT, AT_FDCWD, U(10), 0700, 0)));
	CASE(io_uring_prep_symlinkat(sqe, P(11), 28, P(12)),
	     (RW(IORING_OP_SYMLINKAT, 28, U(11), 0, U(12))));
	CASE(io_uring_prep_symlink(sqe, P(11), P(12)),
	     (RW(IORING_OP_SYMLINKAT, AT_FDCWD, U(11), 0, U(12))));
	CASE(io_uring_prep_linkat(sqe, 29, P(13), 30, P(14), AT_SYMLINK_FOLLOW),
	     (RW(IORING_OP_LINKAT, 29, U(13), 30, U(14)), e->hardlink_flags = AT_SYMLINK_FOLLOW));
	CASE(io_uring_prep_link(sqe, P(13), P(14), 0),
	     (RW(IORING_OP_LINKAT, AT_FDCWD, U(13), (__u32) AT_FDCWD, U(14)), e->hardlink_flags = 0));
	CASE(io_uring_prep_files_update(sqe, P(15), 4, -5),
	     (RW(IORING_OP_FILES_UPDATE, -1, U(15), 4, (__u64) -5)));
	CASE(io_uring_prep_files_update(sqe, P(15), 2, 7),
	     (RW(IORING_OP_FILES_UPDATE, -1, U(15), 2, 7)));
	CASE(io_uring_prep_fixed_fd_install(sqe, 3, IORING_FIXED_FD_NO_CLOEXEC),
	     (RW(IORING_OP_FIXED_FD_INSTALL, 3, 0, 0, 0), e->flags = IOSQE_FIXED_FILE,
	      e->install_fd_flags = IORING_FIXED_FD_NO_CLOEXEC));
}

static void xattr(void)
{
	CASE(io_uring_prep_getxattr(sqe, P(1), P(2), P(3), 64),
	     (RW(IORING_OP_GETXATTR, 0, U(1), 64, U(2)), e->addr3 = U(3), e->xattr_flags = 0));
	CASE(io_uring_prep_setxattr(sqe, P(1), P(2), P(3), XATTR_CREATE, 32),
	     (RW(IORING_OP_SETXATTR, 0, U(1), 32, U(2)), e->addr3 = U(3),
	      e->xattr_flags = XATTR_CREATE));
	CASE(io_uring_prep_fgetxattr(sqe, 31, P(4), P(5), 16),
	     (RW(IORING_OP_FGETXATTR, 31, U(4), 16, U(5)), e->xattr_flags = 0));
	CASE(io_uring_prep_fsetxattr(sqe, 31, P(4), P(5), XATTR_REPLACE, 8),
	     (RW(IORING_OP_FSETXATTR, 31, U(4), 8, U(5)), e->xattr_flags = XATTR_REPLACE));
}

static void net(void)
{
	CASE(io_uring_prep_socket(sqe, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP, 0),
	     (RW(IORING_OP_SOCKET, AF_INET, 0, IPPROTO_TCP, SOCK_STREAM | SOCK_CLOEXEC), e->rw_flags = 0));
	CASE(io_uring_prep_socket(sqe, AF_INET6, -3, 17, 9),
	     (RW(IORING_OP_SOCKET, AF_INET6, 0, 17, (__u64) -3), e->rw_flags = 9));
	CASE(io_uring_prep_socket_direct(sqe, AF_UNIX, SOCK_DGRAM, 0, 7, 0),
	     (RW(IORING_OP_SOCKET, AF_UNIX, 0, 0, SOCK_DGRAM), e->rw_flags = 0, e->file_index = 8));
	CASE(io_uring_prep_socket_direct(sqe, AF_UNIX, SOCK_DGRAM, 0, IORING_FILE_INDEX_ALLOC, 0),
	     (RW(IORING_OP_SOCKET, AF_UNIX, 0, 0, SOCK_DGRAM), e->rw_flags = 0,
	      e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_socket_direct_alloc(sqe, AF_INET, SOCK_STREAM, 0, 0),
	     (RW(IORING_OP_SOCKET, AF_INET, 0, 0, SOCK_STREAM), e->rw_flags = 0,
	      e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_bind(sqe, 32, P(1), 16),
	     (RW(IORING_OP_BIND, 32, U(1), 0, 16)));
	CASE(io_uring_prep_listen(sqe, 33, 128), (RW(IORING_OP_LISTEN, 33, 0, 128, 0)));
	CASE(io_uring_prep_connect(sqe, 34, P(2), 28),
	     (RW(IORING_OP_CONNECT, 34, U(2), 0, 28)));
	CASE(io_uring_prep_accept(sqe, 35, P(3), P(4), SOCK_NONBLOCK),
	     (RW(IORING_OP_ACCEPT, 35, U(3), 0, U(4)), e->accept_flags = SOCK_NONBLOCK));
	CASE(io_uring_prep_accept_direct(sqe, 35, P(3), P(4), 0, 3),
	     (RW(IORING_OP_ACCEPT, 35, U(3), 0, U(4)), e->accept_flags = 0, e->file_index = 4));
	CASE(io_uring_prep_accept_direct(sqe, 35, NULL, NULL, 0, IORING_FILE_INDEX_ALLOC),
	     (RW(IORING_OP_ACCEPT, 35, 0, 0, 0), e->accept_flags = 0,
	      e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_multishot_accept(sqe, 36, P(3), P(4), SOCK_CLOEXEC),
	     (RW(IORING_OP_ACCEPT, 36, U(3), 0, U(4)), e->accept_flags = SOCK_CLOEXEC,
	      e->ioprio = IORING_ACCEPT_MULTISHOT));
	CASE(io_uring_prep_multishot_accept_direct(sqe, 36, NULL, NULL, 0),
	     (RW(IORING_OP_ACCEPT, 36, 0, 0, 0), e->accept_flags = 0,
	      e->ioprio = IORING_ACCEPT_MULTISHOT, e->file_index = IORING_FILE_INDEX_ALLOC));
	CASE(io_uring_prep_shutdown(sqe, 37, SHUT_WR), (RW(IORING_OP_SHUTDOWN, 37, 0, SHUT_WR, 0)));
}

static void sendrecv(void)
{
	CASE(io_uring_prep_send(sqe, 40, P(1), (size_t) 0x100000010ull, MSG_DONTWAIT),
	     (RW(IORING_OP_SEND, 40, U(1), 0x10, 0), e->msg_flags = MSG_DONTWAIT));
	CASE(io_uring_prep_send_bundle(sqe, 41, 4096, MSG_NOSIGNAL),
	     (RW(IORING_OP_SEND, 41, 0, 4096, 0), e->msg_flags = MSG_NOSIGNAL,
	      e->ioprio = IORING_RECVSEND_BUNDLE));
	CASE(io_uring_prep_send_set_addr(sqe, P(2), 0x1c),
	     (e->addr2 = U(2), e->addr_len = 0x1c));
	CASE(io_uring_prep_sendto(sqe, 42, P(1), 100, MSG_NOSIGNAL, P(2), 0x10010),
	     (RW(IORING_OP_SEND, 42, U(1), 100, U(2)), e->msg_flags = MSG_NOSIGNAL,
	      e->addr_len = 0x10));
	CASE(io_uring_prep_send_zc(sqe, 43, P(3), 200, MSG_WAITALL, 0x10000 | IORING_RECVSEND_POLL_FIRST),
	     (RW(IORING_OP_SEND_ZC, 43, U(3), 200, 0), e->msg_flags = MSG_WAITALL,
	      e->ioprio = IORING_RECVSEND_POLL_FIRST));
	CASE(io_uring_prep_send_zc_fixed(sqe, 43, P(3), 200, 0, IORING_SEND_ZC_REPORT_USAGE, 0x10004),
	     (RW(IORING_OP_SEND_ZC, 43, U(3), 200, 0), e->msg_flags = 0,
	      e->ioprio = IORING_SEND_ZC_REPORT_USAGE | IORING_RECVSEND_FIXED_BUF, e->buf_index = 4));
	CASE(io_uring_prep_sendmsg(sqe, 44, P(4), MSG_MORE),
	     (RW(IORING_OP_SENDMSG, 44, U(4), 1, 0), e->msg_flags = MSG_MORE));
	CASE(io_uring_prep_sendmsg_zc(sqe, 45, P(4), MSG_EOR),
	     (RW(IORING_OP_SENDMSG_ZC, 45, U(4), 1, 0), e->msg_flags = MSG_EOR));
	CASE(io_uring_prep_sendmsg_zc_fixed(sqe, 45, P(4), 0, 0x10006),
	     (RW(IORING_OP_SENDMSG_ZC, 45, U(4), 1, 0), e->msg_flags = 0,
	      e->ioprio = IORING_RECVSEND_FIXED_BUF, e->buf_index = 6));
	CASE(io_uring_prep_recv(sqe, 46, P(5), (size_t) 0x200000020ull, MSG_WAITALL),
	     (RW(IORING_OP_RECV, 46, U(5), 0x20, 0), e->msg_flags = MSG_WAITALL));
	CASE(io_uring_prep_recv_multishot(sqe, 47, NULL, 0, 0),
	     (RW(IORING_OP_RECV, 47, 0, 0, 0), e->msg_flags = 0, e->ioprio = IORING_RECV_MULTISHOT));
	CASE(io_uring_prep_recvmsg(sqe, 48, P(6), MSG_PEEK),
	     (RW(IORING_OP_RECVMSG, 48, U(6), 1, 0), e->msg_flags = MSG_PEEK));
	CASE(io_uring_prep_recvmsg_multishot(sqe, 49, P(6), MSG_TRUNC),
	     (RW(IORING_OP_RECVMSG, 49, U(6), 1, 0), e->msg_flags = MSG_TRUNC,
	      e->ioprio = IORING_RECV_MULTISHOT));
}

static void poll_timeout(void)
{
	CASE(io_uring_prep_poll_add(sqe, 50, POLLIN | POLLOUT),
	     (RW(IORING_OP_POLL_ADD, 50, 0, 0, 0), e->poll32_events = poll32(POLLIN | POLLOUT)));
	CASE(io_uring_prep_poll_add(sqe, 50, 0x12340001),
	     (RW(IORING_OP_POLL_ADD, 50, 0, 0, 0), e->poll32_events = poll32(0x12340001)));
	CASE(io_uring_prep_poll_multishot(sqe, 51, POLLIN),
	     (RW(IORING_OP_POLL_ADD, 51, 0, IORING_POLL_ADD_MULTI, 0), e->poll32_events = poll32(POLLIN)));
	CASE(io_uring_prep_poll_remove(sqe, 0xabcdef0123ull),
	     (RW(IORING_OP_POLL_REMOVE, -1, 0xabcdef0123ull, 0, 0)));
	CASE(io_uring_prep_poll_update(sqe, 0x111, 0x222, POLLIN | POLLPRI,
				       IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA),
	     (RW(IORING_OP_POLL_REMOVE, -1, 0x111,
		 IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA, 0x222),
	      e->poll32_events = poll32(POLLIN | POLLPRI)));
	CASE(io_uring_prep_epoll_ctl(sqe, 52, 53, EPOLL_CTL_MOD, P(1)),
	     (RW(IORING_OP_EPOLL_CTL, 52, U(1), EPOLL_CTL_MOD, 53)));
	CASE(io_uring_prep_epoll_ctl(sqe, 52, -1, EPOLL_CTL_DEL, NULL),
	     (RW(IORING_OP_EPOLL_CTL, 52, 0, EPOLL_CTL_DEL, 0xffffffffull)));
	CASE(io_uring_prep_epoll_wait(sqe, 54, P(2), 16, 5),
	     (RW(IORING_OP_EPOLL_WAIT, 54, U(2), 16, 0), e->rw_flags = 5));
	CASE(io_uring_prep_timeout(sqe, P(3), 3, IORING_TIMEOUT_ABS | IORING_TIMEOUT_MULTISHOT),
	     (RW(IORING_OP_TIMEOUT, -1, U(3), 1, 3),
	      e->timeout_flags = IORING_TIMEOUT_ABS | IORING_TIMEOUT_MULTISHOT));
	CASE(io_uring_prep_timeout_remove(sqe, 0xdead, IORING_TIMEOUT_BOOTTIME),
	     (RW(IORING_OP_TIMEOUT_REMOVE, -1, 0xdead, 0, 0), e->timeout_flags = IORING_TIMEOUT_BOOTTIME));
	CASE(io_uring_prep_timeout_update(sqe, P(3), 0xbeef, IORING_TIMEOUT_ABS),
	     (RW(IORING_OP_TIMEOUT_REMOVE, -1, 0xbeef, 0, U(3)),
	      e->timeout_flags = IORING_TIMEOUT_ABS | IORING_TIMEOUT_UPDATE));
	CASE(io_uring_prep_link_timeout(sqe, P(4), IORING_TIMEOUT_ETIME_SUCCESS),
	     (RW(IORING_OP_LINK_TIMEOUT, -1, U(4), 1, 0), e->timeout_flags = IORING_TIMEOUT_ETIME_SUCCESS));
	CASE(io_uring_prep_cancel64(sqe, 0x1234, (int) 0x80000021),
	     (RW(IORING_OP_ASYNC_CANCEL, -1, 0x1234, 0, 0), e->cancel_flags = 0x80000021));
	CASE(io_uring_prep_cancel(sqe, P(5), IORING_ASYNC_CANCEL_ALL),
	     (RW(IORING_OP_ASYNC_CANCEL, -1, U(5), 0, 0), e->cancel_flags = IORING_ASYNC_CANCEL_ALL));
	CASE(io_uring_prep_cancel_fd(sqe, 55, IORING_ASYNC_CANCEL_ALL),
	     (RW(IORING_OP_ASYNC_CANCEL, 55, 0, 0, 0),
	      e->cancel_flags = IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD));
}

static void buffers_msg_wait(void)
{
	CASE(io_uring_prep_provide_buffers(sqe, P(1), 1024, 8, 0x10002, 100),
	     (RW(IORING_OP_PROVIDE_BUFFERS, 8, U(1), 1024, 100), e->buf_group = 2));
	CASE(io_uring_prep_provide_buffers(sqe, P(1), 64, 1, 3, -1),
	     (RW(IORING_OP_PROVIDE_BUFFERS, 1, U(1), 64, (__u64) -1), e->buf_group = 3));
	CASE(io_uring_prep_remove_buffers(sqe, 8, 0x10002),
	     (RW(IORING_OP_REMOVE_BUFFERS, 8, 0, 0, 0), e->buf_group = 2));
	CASE(io_uring_prep_msg_ring(sqe, 60, 0x55, 0xcafe, IORING_MSG_RING_CQE_SKIP),
	     (RW(IORING_OP_MSG_RING, 60, 0, 0x55, 0xcafe), e->msg_ring_flags = IORING_MSG_RING_CQE_SKIP));
	CASE(io_uring_prep_msg_ring_cqe_flags(sqe, 60, 7, 0xf00d, 0, 0x8000),
	     (RW(IORING_OP_MSG_RING, 60, 0, 7, 0xf00d), e->msg_ring_flags = IORING_MSG_RING_FLAGS_PASS,
	      e->file_index = 0x8000));
	CASE(io_uring_prep_msg_ring_fd(sqe, 61, 3, 5, 0x77, 0),
	     (RW(IORING_OP_MSG_RING, 61, IORING_MSG_SEND_FD, 0, 0x77), e->addr3 = 3,
	      e->file_index = 6, e->msg_ring_flags = 0));
	CASE(io_uring_prep_msg_ring_fd(sqe, 61, -2, (int) IORING_FILE_INDEX_ALLOC, 0x78, 1),
	     (RW(IORING_OP_MSG_RING, 61, IORING_MSG_SEND_FD, 0, 0x78), e->addr3 = (__u64) -2,
	      e->file_index = IORING_FILE_INDEX_ALLOC, e->msg_ring_flags = 1));
	CASE(io_uring_prep_msg_ring_fd_alloc(sqe, 62, 4, 0x88, IORING_MSG_RING_CQE_SKIP),
	     (RW(IORING_OP_MSG_RING, 62, IORING_MSG_SEND_FD, 0, 0x88), e->addr3 = 4,
	      e->file_index = IORING_FILE_INDEX_ALLOC, e->msg_ring_flags = IORING_MSG_RING_CQE_SKIP));
	CASE(io_uring_prep_futex_wait(sqe, P(2), 0x1122334455ull, 0xff00ff00ff00ull, 2, 0),
	     (RW(IORING_OP_FUTEX_WAIT, 2, U(2), 0, 0x1122334455ull), e->futex_flags = 0,
	      e->addr3 = 0xff00ff00ff00ull));
	CASE(io_uring_prep_futex_wake(sqe, P(3), 1, ~0ull, 0x82, 0x4),
	     (RW(IORING_OP_FUTEX_WAKE, 0x82, U(3), 0, 1), e->futex_flags = 4, e->addr3 = ~0ull));
	CASE(io_uring_prep_futex_waitv(sqe, P(4), 3, 0),
	     (RW(IORING_OP_FUTEX_WAITV, 0, U(4), 3, 0), e->futex_flags = 0));
	CASE(io_uring_prep_waitid(sqe, P_PID, 1234, P(5), WEXITED | WNOHANG, 0),
	     (RW(IORING_OP_WAITID, 1234, 0, P_PID, U(5)), e->waitid_flags = 0,
	      e->file_index = WEXITED | WNOHANG));
}

static void cmd_pipe(void)
{
	CASE(io_uring_prep_uring_cmd(sqe, 0x11223344, 70),
	     (RW(IORING_OP_URING_CMD, 70, 0, 0, 0), e->cmd_op = 0x11223344, e->__pad1 = 0));
	CASE(io_uring_prep_uring_cmd128(sqe, -7, 71),
	     (RW(IORING_OP_URING_CMD128, 71, 0, 0, 0), e->cmd_op = (__u32) -7, e->__pad1 = 0));
	CASE(io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SETSOCKOPT, 72, SOL_SOCKET, SO_REUSEADDR, P(1), 4),
	     (RW(IORING_OP_URING_CMD, 72, 0, 0, 0), e->cmd_op = SOCKET_URING_OP_SETSOCKOPT, e->__pad1 = 0,
	      e->level = SOL_SOCKET, e->optname = SO_REUSEADDR, e->optval = U(1), e->optlen = 4));
	CASE(io_uring_prep_cmd_getsockname(sqe, 73, P(2), P(3), 1),
	     (RW(IORING_OP_URING_CMD, 73, U(2), 0, 0), e->cmd_op = SOCKET_URING_OP_GETSOCKNAME,
	      e->__pad1 = 0, e->addr3 = U(3), e->optlen = 1));
	CASE(io_uring_prep_cmd_discard(sqe, 74, 0x1000, 0x2000),
	     (RW(IORING_OP_URING_CMD, 74, 0x1000, 0, 0), e->cmd_op = BLOCK_URING_CMD_DISCARD,
	      e->__pad1 = 0, e->addr3 = 0x2000));
	CASE(io_uring_prep_cmd_zone_reset_all(sqe, 75),
	     (RW(IORING_OP_URING_CMD, 75, 0, 0, 0), e->cmd_op = BLOCK_URING_CMD_ZONE_RESET_ALL,
	      e->__pad1 = 0));
	CASE(io_uring_prep_splice(sqe, 76, -1, 77, 0x100, 4096, SPLICE_F_MOVE | SPLICE_F_FD_IN_FIXED),
	     (RW(IORING_OP_SPLICE, 77, (__u64) -1, 4096, 0x100),
	      e->splice_flags = SPLICE_F_MOVE | SPLICE_F_FD_IN_FIXED, e->splice_fd_in = 76));
	CASE(io_uring_prep_splice(sqe, 78, 0x5000, 79, -1, 1, 0),
	     (RW(IORING_OP_SPLICE, 79, 0x5000, 1, (__u64) -1), e->splice_flags = 0, e->splice_fd_in = 78));
	CASE(io_uring_prep_tee(sqe, 80, 81, 512, SPLICE_F_NONBLOCK),
	     (RW(IORING_OP_TEE, 81, 0, 512, 0), e->splice_off_in = 0,
	      e->splice_flags = SPLICE_F_NONBLOCK, e->splice_fd_in = 80));
	CASE(io_uring_prep_pipe(sqe, P(4), O_CLOEXEC | O_NONBLOCK),
	     (RW(IORING_OP_PIPE, 0, U(4), 0, 0), e->pipe_flags = O_CLOEXEC | O_NONBLOCK));
	CASE(io_uring_prep_pipe_direct(sqe, P(4), 0, 2),
	     (RW(IORING_OP_PIPE, 0, U(4), 0, 0), e->pipe_flags = 0, e->file_index = 3));
	CASE(io_uring_prep_pipe_direct(sqe, P(4), O_CLOEXEC, IORING_FILE_INDEX_ALLOC),
	     (RW(IORING_OP_PIPE, 0, U(4), 0, 0), e->pipe_flags = O_CLOEXEC,
	      e->file_index = IORING_FILE_INDEX_ALLOC));
}

int main(void)
{
	unsigned seed = 0x2151;

	/* Three backgrounds: two fixed patterns and pseudo-random bytes. */
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof(background); i++)
			background[i] = round == 0 ? 0xa5 : round == 1 ? 0x5a :
					(unsigned char) (rand_r(&seed) >> 7);
		cases = 0;
		generic();
		rw();
		file();
		fs();
		xattr();
		net();
		sendrecv();
		poll_timeout();
		buffers_msg_wait();
		cmd_pipe();
	}
	printf("prep_bytes: %d cases byte-identical on 3 backgrounds\n", cases);
	return 0;
}
