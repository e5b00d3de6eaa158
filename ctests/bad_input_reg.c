/* Bad input to the registration functions: every one on a NULL, zeroed and
 * exited ring, then on a live ring with NULL argument pointers, zero or huge
 * counts, sizes that are not a power of two, unknown flags and wrong
 * states. The answers on a live ring are the kernel's (6.18 here); what
 * matters is that each is an error code, not a crash. */
#include <limits.h>
#include <sched.h>
#include <sys/eventfd.h>
#include "bad_input.h"
#include <liburing/rs.h>
#include "kernel.h"

static int one_fd[1] = { -1 };
static char buf4k[4096];
static struct iovec one_iov = { buf4k, sizeof(buf4k) };
static __u64 one_tag[1];

static long buf_ring_cq_adv(struct io_uring *ring, int split)
{
	struct io_uring_buf_ring br[2];

	memset(br, 0, sizeof(br));
	if (split)
		__io_uring_buf_ring_cq_advance(ring, br, 1, 3);
	else
		io_uring_buf_ring_cq_advance(ring, br, 3);
	/* The buffer ring is the caller's own memory: its tail still moves. */
	CHECK_EQ(br->tail, 3);
	return 0;
}

static long setup_buf_ring_err(struct io_uring *ring)
{
	int err = 1;
	struct io_uring_buf_ring *br = io_uring_setup_buf_ring(ring, 8, 1, 0, &err);

	CHECK(br == NULL);
	CHECK_EQ(err, ring ? -EBADF : -EFAULT);
	CHECK(io_uring_setup_buf_ring(ring, 8, 1, 0, NULL) == NULL);
	return 0;
}

/* A second, live ring for the two-ring clone calls. */
static struct io_uring other;

static long clone_call(struct io_uring *ring, int which, int ring_is_dst)
{
	struct io_uring *dst, *src;
	long r;

	CHECK_EQ(io_uring_queue_init(4, &other, 0), 0);
	CHECK_EQ(io_uring_register_buffers(&other, &one_iov, 1), 0);
	dst = ring_is_dst ? ring : &other;
	src = ring_is_dst ? &other : ring;
	switch (which) {
	case 0: r = io_uring_clone_buffers(dst, src); break;
	case 1: r = __io_uring_clone_buffers(dst, src, 0); break;
	case 2: r = io_uring_clone_buffers_offset(dst, src, 0, 0, 1, 0); break;
	default: r = __io_uring_clone_buffers_offset(dst, src, 0, 0, 1, 0); break;
	}
	io_uring_queue_exit(&other);
	return r;
}

static struct io_uring_buf_reg breg;
static struct io_uring_buf_ring some_br[4];
static struct io_uring_napi napi;
static struct io_uring_zcrx_ifq_reg ifq;
static struct zcrx_ctrl zctrl;
static struct io_uring_restriction restr = { .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP };
static struct io_uring_bpf bpf;
static cpu_set_t cpus;
static unsigned workers[2];
static struct io_uring_sync_cancel_reg cancel_reg = { .addr = 1, .timeout = { -1, -1 } };
static struct io_uring_params resize_p = { .sq_entries = 8, .cq_entries = 16 };
static struct io_uring_reg_wait reg_wait;
static struct io_uring_mem_region_reg region;
static struct io_uring_clock_register clock_reg = { .clockid = CLOCK_MONOTONIC };
static struct io_uring_rs_stats stats;
static __u16 head16;

CALL(register_buf_ring, io_uring_register_buf_ring(ring, &breg, 0))
CALL(unregister_buf_ring, io_uring_unregister_buf_ring(ring, 1))
CALL(buf_ring_head, io_uring_buf_ring_head(ring, 1, &head16))
CALL(setup_buf_ring, setup_buf_ring_err(ring))
CALL(free_buf_ring, io_uring_free_buf_ring(ring, some_br, 4, 1))
CALL(__buf_ring_cq_advance, buf_ring_cq_adv(ring, 1))
CALL(buf_ring_cq_advance, buf_ring_cq_adv(ring, 0))
CALL(buf_ring_available, io_uring_buf_ring_available(ring, some_br, 1))
CALL(register_napi, io_uring_register_napi(ring, &napi))
CALL(unregister_napi, io_uring_unregister_napi(ring, &napi))
CALL(register_ifq, io_uring_register_ifq(ring, &ifq))
CALL(register_zcrx_ctrl, io_uring_register_zcrx_ctrl(ring, &zctrl))
CALL(register_eventfd, io_uring_register_eventfd(ring, 0))
CALL(register_eventfd_async, io_uring_register_eventfd_async(ring, 0))
CALL(unregister_eventfd, io_uring_unregister_eventfd(ring))
CALL(register_personality, io_uring_register_personality(ring))
CALL(unregister_personality, io_uring_unregister_personality(ring, 1))
CALL(register_restrictions, io_uring_register_restrictions(ring, &restr, 1))
CALL(enable_rings, io_uring_enable_rings(ring))
CALL(register_bpf_filter, io_uring_register_bpf_filter(ring, &bpf))
CALL(register_iowq_aff, io_uring_register_iowq_aff(ring, sizeof(cpus), &cpus))
CALL(unregister_iowq_aff, io_uring_unregister_iowq_aff(ring))
CALL(register_iowq_max_workers, io_uring_register_iowq_max_workers(ring, workers))
CALL(register_sync_cancel, io_uring_register_sync_cancel(ring, &cancel_reg))
CALL(resize_rings, io_uring_resize_rings(ring, &resize_p))
CALL(register_wait_reg, io_uring_register_wait_reg(ring, &reg_wait, 1))
CALL(register_region, io_uring_register_region(ring, &region))
CALL(register_clock, io_uring_register_clock(ring, &clock_reg))
CALL(register_buffers, io_uring_register_buffers(ring, &one_iov, 1))
CALL(register_buffers_tags, io_uring_register_buffers_tags(ring, &one_iov, one_tag, 1))
CALL(register_buffers_sparse, io_uring_register_buffers_sparse(ring, 1))
CALL(register_buffers_update_tag, io_uring_register_buffers_update_tag(ring, 0, &one_iov, one_tag, 1))
CALL(unregister_buffers, io_uring_unregister_buffers(ring))
CALL(clone_buffers_dst, clone_call(ring, 0, 1))
CALL(__clone_buffers_dst, clone_call(ring, 1, 1))
CALL(clone_buffers_offset_dst, clone_call(ring, 2, 1))
CALL(__clone_buffers_offset_dst, clone_call(ring, 3, 1))
CALL(clone_buffers_src, clone_call(ring, 0, 0))
CALL(__clone_buffers_src, clone_call(ring, 1, 0))
CALL(clone_buffers_offset_src, clone_call(ring, 2, 0))
CALL(__clone_buffers_offset_src, clone_call(ring, 3, 0))
CALL(register_files, io_uring_register_files(ring, one_fd, 1))
CALL(register_files_tags, io_uring_register_files_tags(ring, one_fd, one_tag, 1))
CALL(register_files_sparse, io_uring_register_files_sparse(ring, 1))
CALL(register_files_update_tag, io_uring_register_files_update_tag(ring, 0, one_fd, one_tag, 1))
CALL(register_files_update, io_uring_register_files_update(ring, 0, one_fd, 1))
CALL(unregister_files, io_uring_unregister_files(ring))
CALL(register_file_alloc_range, io_uring_register_file_alloc_range(ring, 0, 1))
CALL(rs_get_stats, io_uring_rs_get_stats(ring, &stats, sizeof(stats)))
CALL(rs_is_emulated, io_uring_rs_is_emulated(ring))

static const struct ring_case ring_cases[] = {
	ENTRY(register_buf_ring, INT), ENTRY(unregister_buf_ring, INT), ENTRY(buf_ring_head, INT),
	ENTRY(setup_buf_ring, VOID), ENTRY(free_buf_ring, INT), ENTRY(__buf_ring_cq_advance, VOID),
	ENTRY(buf_ring_cq_advance, VOID), ENTRY(buf_ring_available, INT),
	ENTRY(register_napi, INT), ENTRY(unregister_napi, INT), ENTRY(register_ifq, INT),
	ENTRY(register_zcrx_ctrl, INT), ENTRY(register_eventfd, INT),
	ENTRY(register_eventfd_async, INT), ENTRY(unregister_eventfd, INT),
	ENTRY(register_personality, INT), ENTRY(unregister_personality, INT),
	ENTRY(register_restrictions, INT), ENTRY(enable_rings, INT),
	ENTRY(register_bpf_filter, INT), ENTRY(register_iowq_aff, INT),
	ENTRY(unregister_iowq_aff, INT), ENTRY(register_iowq_max_workers, INT),
	ENTRY(register_sync_cancel, INT), ENTRY(resize_rings, INT), ENTRY(register_wait_reg, INT),
	ENTRY(register_region, INT), ENTRY(register_clock, INT), ENTRY(register_buffers, INT),
	ENTRY(register_buffers_tags, INT), ENTRY(register_buffers_sparse, INT),
	ENTRY(register_buffers_update_tag, INT), ENTRY(unregister_buffers, INT),
	ENTRY(clone_buffers_dst, INT), ENTRY(__clone_buffers_dst, INT),
	ENTRY(clone_buffers_offset_dst, INT), ENTRY(__clone_buffers_offset_dst, INT),
	ENTRY(clone_buffers_src, INT), ENTRY(__clone_buffers_src, INT),
	ENTRY(clone_buffers_offset_src, INT), ENTRY(__clone_buffers_offset_src, INT),
	ENTRY(register_files, INT), ENTRY(register_files_tags, INT),
	ENTRY(register_files_sparse, INT), ENTRY(register_files_update_tag, INT),
	ENTRY(register_files_update, INT), ENTRY(unregister_files, INT),
	ENTRY(register_file_alloc_range, INT), ENTRY(rs_get_stats, INT),
	ENTRY(rs_is_emulated, INT),
};

/* ---- live rings, bad arguments ---- */

#define live(ring, flags) ring_init_flags(ring, 8, flags, #flags)

static void files_bad(void)
{
	struct io_uring ring;
	int fds[2] = { -1, -1 }, bad[1] = { 12345 };

	live(&ring, 0);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_register_files(&ring, NULL, 2)), -EFAULT);
	CHECK_EQ(io_uring_register_files(&ring, fds, 0), -EINVAL);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_register_files(&ring, fds, UINT_MAX)), -EMFILE);
	CHECK_EQ(io_uring_register_files(&ring, bad, 1), -EBADF);
	if (HAVE_SPARSE(IORING_REGISTER_FILES2)) {
		/* NULL arrays with the tagged call: the kernel makes a sparse table. */
		CHECK_EQ(io_uring_register_files_tags(&ring, NULL, NULL, 2), 0);
		CHECK_EQ(io_uring_unregister_files(&ring), 0);
		CHECK_EQ(io_uring_register_files_tags(&ring, fds, NULL, UINT_MAX), -EMFILE);
		CHECK_EQ(io_uring_register_files_sparse(&ring, 0), -EINVAL);
		CHECK_EQ(io_uring_register_files_sparse(&ring, UINT_MAX), -EMFILE);
		CHECK_EQ(io_uring_register_files_update_tag(&ring, 0, fds, NULL, 1), -ENXIO);
	}
	/* No table yet. */
	CHECK_EQ(io_uring_register_files_update(&ring, 0, fds, 1), -ENXIO);
	CHECK_EQ(io_uring_unregister_files(&ring), -ENXIO);
	CHECK_EQ(io_uring_register_file_alloc_range(&ring, 0, 1), -EINVAL);
	/* With a table of two. */
	CHECK_EQ(io_uring_register_files(&ring, fds, 2), 0);
	CHECK_EQ(io_uring_register_files(&ring, fds, 2), -EBUSY);
	CHECK_EQ(io_uring_register_files_update(&ring, 0, NULL, 1), -EFAULT);
	CHECK_EQ(io_uring_register_files_update(&ring, 2, fds, 1), -EINVAL);
	CHECK_EQ(io_uring_register_files_update(&ring, UINT_MAX, fds, 1), -EOVERFLOW);
	CHECK_EQ(io_uring_register_files_update(&ring, 0, bad, 1), -EBADF);
	if (HAVE_SPARSE(IORING_REGISTER_FILES2)) {
		CHECK_EQ(io_uring_register_files_update_tag(&ring, 0, NULL, NULL, 1), -EFAULT);
		CHECK_EQ(io_uring_register_files_update_tag(&ring, 1, fds, NULL, 2), -EINVAL);
	}
	struct io_uring_file_index_range range = { .off = 0, .len = 1 };
	if (HAVE_REGISTER(ring.ring_fd, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0)) {
		CHECK_EQ(io_uring_register_file_alloc_range(&ring, 1, 2), -EINVAL);
		CHECK_EQ(io_uring_register_file_alloc_range(&ring, UINT_MAX, 2), -EOVERFLOW);
	}
	CHECK_EQ(io_uring_unregister_files(&ring), 0);
	io_uring_queue_exit(&ring);
}

static void buffers_bad(void)
{
	struct io_uring ring, empty;
	struct iovec null_iov = { NULL, 4096 };

	live(&ring, 0);
	live(&empty, 0);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_register_buffers(&ring, NULL, 1)), -EFAULT);
	CHECK_EQ(io_uring_register_buffers(&ring, &one_iov, 0), -EINVAL);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_register_buffers(&ring, &one_iov, UINT_MAX)), -EINVAL);
	CHECK_EQ(io_uring_register_buffers(&ring, &null_iov, 1), -EFAULT);
	bool sparse = HAVE_SPARSE(IORING_REGISTER_BUFFERS2);
	if (sparse) {
		CHECK_EQ(io_uring_register_buffers_tags(&ring, NULL, NULL, 1), 0);	/* sparse */
		CHECK_EQ(io_uring_unregister_buffers(&ring), 0);
		CHECK_EQ(io_uring_register_buffers_tags(&ring, &one_iov, NULL, 0), -EINVAL);
		CHECK_EQ(io_uring_register_buffers_sparse(&ring, 0), -EINVAL);
		CHECK_EQ(io_uring_register_buffers_sparse(&ring, UINT_MAX), -EINVAL);
		CHECK_EQ(io_uring_register_buffers_update_tag(&ring, 0, &one_iov, NULL, 1), -ENXIO);
	}
	CHECK_EQ(io_uring_unregister_buffers(&ring), -ENXIO);
	CHECK_EQ(io_uring_register_buffers(&ring, &one_iov, 1), 0);
	CHECK_EQ(io_uring_register_buffers(&ring, &one_iov, 1), -EBUSY);
	if (sparse) {
		CHECK_EQ(io_uring_register_buffers_update_tag(&ring, 0, NULL, NULL, 1), -EFAULT);
		CHECK_EQ(io_uring_register_buffers_update_tag(&ring, 1, &one_iov, NULL, 1), -EINVAL);
		CHECK_EQ(io_uring_register_buffers_update_tag(&ring, UINT_MAX, &one_iov, NULL, 2), -EOVERFLOW);
	}
	/* Cloning from a ring without buffers, or into one that has some;
	 * ranges out of bounds. */
	if (kernel_clone(ring.ring_fd, 0) == 0 || lacks_case("IORING_REGISTER_CLONE_BUFFERS")) {
		CHECK_EQ(io_uring_clone_buffers(&empty, &empty), -ENXIO);
		CHECK_EQ(io_uring_clone_buffers(&ring, &ring), -EBUSY);
		CHECK_EQ(__io_uring_clone_buffers(&empty, &ring, 1u << 30), -EINVAL);
	}
	if (kernel_clone(ring.ring_fd, 1) == 0 || lacks_case("IORING_REGISTER_CLONE_BUFFERS with ranges")) {
		CHECK_EQ(io_uring_clone_buffers_offset(&empty, &ring, 0, 1, 1, 0), -EOVERFLOW);
		CHECK_EQ(io_uring_clone_buffers_offset(&empty, &ring, 0, 0, UINT_MAX, 0), -EINVAL);
		CHECK_EQ(io_uring_clone_buffers_offset(&empty, &ring, UINT_MAX, 0, 1, 0), -EOVERFLOW);
	}
	CHECK_EQ(io_uring_unregister_buffers(&ring), 0);
	io_uring_queue_exit(&empty);
	io_uring_queue_exit(&ring);
}

static void buf_rings_bad(void)
{
	struct io_uring ring;
	struct io_uring_buf_reg reg = { .ring_entries = 3, .bgid = 1 };
	struct io_uring_buf_ring *br;
	__u16 head = 77;
	int err;

	NEED_PBUF_RING();
	NEED_PBUF_STATUS();
	live(&ring, 0);
	CHECK_EQ(io_uring_register_buf_ring(&ring, NULL, 0), -EFAULT);
	reg.ring_addr = (unsigned long) some_br;
	CHECK_EQ(io_uring_register_buf_ring(&ring, &reg, 0), -EINVAL);	/* 3: not a power of two */
	reg.ring_entries = 0;
	CHECK_EQ(io_uring_register_buf_ring(&ring, &reg, 0), -EINVAL);
	reg.ring_entries = 1u << 16;
	CHECK_EQ(io_uring_register_buf_ring(&ring, &reg, 0), -EINVAL);
	reg.ring_entries = 4;
	reg.ring_addr = 0;
	CHECK_EQ(io_uring_register_buf_ring(&ring, &reg, 0), -EFAULT);
	reg.ring_addr = (unsigned long) some_br;
	CHECK_EQ(io_uring_register_buf_ring(&ring, &reg, 1u << 15), -EINVAL);	/* unknown flag */
	CHECK_EQ(io_uring_unregister_buf_ring(&ring, 1), -ENOENT);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 1, &head), -ENOENT);
	CHECK_EQ(head, 77);
	CHECK_EQ(io_uring_buf_ring_available(&ring, some_br, 1), -ENOENT);
	/* setup_buf_ring: sizes that are not a power of two, zero, too big. */
	for (unsigned n = 0; n < 4; n++) {
		static const unsigned sizes[] = { 3, 0, 1u << 16, UINT_MAX };

		err = 1;
		CHECK(io_uring_setup_buf_ring(&ring, sizes[n], 1, 0, &err) == NULL);
		CHECK(err < 0);
	}
	CHECK(io_uring_setup_buf_ring(&ring, 3, 1, 0, NULL) == NULL);
	br = io_uring_setup_buf_ring(&ring, 8, 1, 0, &err);
	CHECK(br != NULL);
	CHECK_EQ(err, 0);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 1, NULL), -EFAULT);
	CHECK_EQ(io_uring_buf_ring_available(&ring, NULL, 1), -EFAULT);
	CHECK(io_uring_setup_buf_ring(&ring, 8, 1, 0, &err) == NULL);	/* group taken */
	CHECK_EQ(err, -EEXIST);
	/* Freeing: a NULL ring pointer or a wrong group leaves it registered. */
	CHECK_EQ(io_uring_free_buf_ring(&ring, NULL, 8, 1), -EFAULT);
	CHECK_EQ(io_uring_free_buf_ring(&ring, br, 8, 2), -ENOENT);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 1, &head), 0);
	CHECK_EQ(io_uring_free_buf_ring(&ring, br, 8, 1), 0);
	CHECK_EQ(io_uring_buf_ring_head(&ring, 1, &head), -ENOENT);
	io_uring_queue_exit(&ring);
}

static void access_bad(void)
{
	struct io_uring ring, disabled;
	struct io_uring_restriction many[2] = { restr, restr };
	struct io_uring_cqe *cqe;
	int pipefd[2];

	live(&ring, 0);
	CHECK_EQ(pipe(pipefd), 0);
	CHECK_EQ(io_uring_register_eventfd(&ring, -1), -EBADF);
	CHECK_EQ(io_uring_register_eventfd(&ring, pipefd[0]), -EINVAL);
	CHECK_EQ(io_uring_register_eventfd_async(&ring, -1), -EBADF);
	CHECK_EQ(io_uring_unregister_eventfd(&ring), -ENXIO);
	CHECK_EQ(io_uring_unregister_personality(&ring, 999), -EINVAL);
	CHECK_EQ(io_uring_unregister_personality(&ring, -1), -EINVAL);
	/* Restrictions and enabling are for a ring set up disabled. */
	CHECK_EQ(io_uring_register_restrictions(&ring, &restr, 1), -EBADFD);
	CHECK_EQ(io_uring_enable_rings(&ring), -EBADFD);
	live(&disabled, IORING_SETUP_R_DISABLED);
	queue_nops(&disabled, 1, 1);
	CHECK_EQ(io_uring_submit(&disabled), -EBADFD);
	CHECK_EQ(io_uring_submit_and_wait(&disabled, 1), -EBADFD);
	CHECK_EQ(io_uring_wait_cqe_timeout(&disabled, &cqe, &(struct __kernel_timespec) { .tv_nsec = 1000000 }), -EBADFD);
	CHECK_EQ(io_uring_register_restrictions(&disabled, NULL, 1), -EINVAL);
	CHECK_EQ(io_uring_register_restrictions(&disabled, many, UINT_MAX), -EINVAL);
	many[1].opcode = 99;
	CHECK_EQ(io_uring_register_restrictions(&disabled, many, 2), -EINVAL);
	CHECK_EQ(io_uring_enable_rings(&disabled), 0);
	CHECK_EQ(io_uring_submit(&disabled), 1);
	io_uring_queue_exit(&disabled);
	io_uring_queue_exit(&ring);
}

static void workers_bad(void)
{
	struct io_uring ring;
	struct io_uring_sync_cancel_reg reg = { .flags = 1u << 20, .timeout = { -1, -1 } };

	live(&ring, 0);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, sizeof(cpus), NULL), -EINVAL);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, 0, &cpus), -EINVAL);
	CHECK_EQ(io_uring_register_iowq_aff(&ring, SIZE_MAX, &cpus), -EINVAL);
	CHECK_EQ(io_uring_register_iowq_max_workers(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_sync_cancel(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_sync_cancel(&ring, &reg), -EINVAL);
	/* Nothing matches: the kernel reports -ENOENT. */
	if (kernel_sync_cancel() || lacks_case("IORING_REGISTER_SYNC_CANCEL"))
		CHECK_EQ(io_uring_register_sync_cancel(&ring, &cancel_reg), -ENOENT);
	io_uring_queue_exit(&ring);
}

static void rings_bad(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	struct io_uring_clock_register clk = { .clockid = 12345 };

	live(&ring, IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER);
	CHECK_EQ(io_uring_resize_rings(&ring, NULL), -EFAULT);
	CHECK_EQ(io_uring_resize_rings(&ring, &p), -EINVAL);
	p.sq_entries = 8;
	p.cq_entries = 1u << 30;
	p.flags = IORING_SETUP_CQSIZE;
	CHECK_EQ(io_uring_resize_rings(&ring, &p), -EINVAL);
	CHECK_EQ(io_uring_register_region(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_clock(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_clock(&ring, &clk), -EINVAL);
	CHECK_EQ(io_uring_register_wait_reg(&ring, NULL, 0), -EINVAL);
	CHECK_EQ(io_uring_register_napi(&ring, NULL), -EINVAL);
	struct io_uring_napi napi_off = { 0 };
	if (have_register(0, IORING_REGISTER_NAPI, &napi_off, 1, "IORING_REGISTER_NAPI"))
		CHECK_EQ(io_uring_unregister_napi(&ring, NULL), 0);
	CHECK_EQ(io_uring_register_ifq(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_zcrx_ctrl(&ring, NULL), -EINVAL);
	CHECK_EQ(io_uring_register_bpf_filter(&ring, NULL), -EINVAL);
	io_uring_queue_exit(&ring);
}

static void stats_bad(void)
{
	struct io_uring ring;

	live(&ring, 0);
	CHECK_EQ(io_uring_rs_get_stats(&ring, NULL, sizeof(stats)), -EFAULT);
	/* Statistics are off unless URING_RS_STATS is set. */
	if (!getenv("URING_RS_STATS"))
		CHECK_EQ(io_uring_rs_get_stats(&ring, &stats, sizeof(stats)), -EOPNOTSUPP);
	io_uring_queue_exit(&ring);
}

static const struct bi_case cases[] = {
	{ "files: NULL tables, counts 0 and huge, bad fds and offsets", files_bad },
	{ "buffers: NULL iovecs, counts 0 and huge, clone ranges", buffers_bad },
	{ "buffer rings: NULL reg, sizes not a power of two, wrong groups", buf_rings_bad },
	{ "eventfd, personality, restrictions, R_DISABLED", access_bad },
	{ "io-wq affinity and workers, sync cancel", workers_bad },
	{ "resize, region, clock, wait_reg, napi, zcrx, bpf", rings_bad },
	{ "rs_get_stats", stats_bad },
};

int main(void)
{
	bi_run_ring_cases(ring_cases, ARRAY_LEN(ring_cases));
	bi_run_cases(cases, ARRAY_LEN(cases));
	return bi_finish("registration bad-input");
}
