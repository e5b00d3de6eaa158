/* Bad input to everything that is neither a preparer nor a registration:
 * CQE and buffer-ring helpers on NULL, the recvmsg helpers on NULL and
 * short buffers, probes, the raw system calls on bad fds and pointers, the
 * size calculators, and out-of-range counts and timeouts on a live ring.
 * Each case runs in its own child. */
#include <limits.h>
#include <sys/socket.h>
#include "bad_input.h"
#include "kernel.h"

static struct __kernel_timespec ts1ms = { .tv_nsec = 1000000 };

static void cqe_helpers(void)
{
	CHECK(io_uring_cqe_get_data(NULL) == NULL);
	CHECK((io_uring_cqe_get_data)(NULL) == NULL);
	CHECK_EQ(io_uring_cqe_get_data64(NULL), 0);
	CHECK_EQ((io_uring_cqe_get_data64)(NULL), 0);
	CHECK_EQ(io_uring_cqe_nr(NULL), 1);
	CHECK(!io_uring_cqe_iter_next(NULL, NULL));
	CHECK(!(io_uring_cqe_iter_next)(NULL, NULL));
}

static void buf_ring_helpers(void)
{
	struct io_uring_buf bufs[4];
	struct io_uring_buf_ring *br = (void *) bufs;

	/* The mask is entries - 1, for any count, power of two or not. */
	CHECK_EQ(io_uring_buf_ring_mask(0), -1);
	CHECK_EQ(io_uring_buf_ring_mask(3), 2);
	CHECK_EQ(io_uring_buf_ring_mask(UINT_MAX), -2);
	io_uring_buf_ring_init(NULL);
	io_uring_buf_ring_add(NULL, br, 1, 0, 3, 0);
	io_uring_buf_ring_advance(NULL, 1);
	__io_uring_buf_ring_cq_advance(NULL, NULL, 1, 1);
	io_uring_buf_ring_cq_advance(NULL, NULL, 1);
	CHECK_EQ(io_uring_buf_ring_available(NULL, NULL, 0), -EFAULT);
	/* A huge offset or count is masked into the ring. */
	io_uring_buf_ring_init(br);
	io_uring_buf_ring_add(br, br, 7, 9, 3, INT_MAX);
	CHECK_EQ(bufs[3].bid, 9);
	io_uring_buf_ring_advance(br, -1);
	CHECK_EQ(br->tail, 0xffff);
}

static void recvmsg_helpers(void)
{
	_Alignas(16) unsigned char buf[256] = { 0 };
	struct msghdr msg = { .msg_namelen = 16, .msg_controllen = 32 };
	struct io_uring_recvmsg_out *o = (void *) buf;
	struct cmsghdr *c = (void *) buf;

	CHECK(io_uring_recvmsg_validate(buf, sizeof(buf), NULL) == NULL);
	CHECK(io_uring_recvmsg_validate(NULL, 0, &msg) == NULL);
	CHECK(io_uring_recvmsg_validate(buf, -1, &msg) == NULL);
	CHECK(io_uring_recvmsg_validate(buf, 16 + 16 + 31, &msg) == NULL);	/* short */
	msg.msg_namelen = UINT_MAX;
	CHECK(io_uring_recvmsg_validate(buf, sizeof(buf), &msg) == NULL);
	msg.msg_namelen = 16;
	msg.msg_controllen = SIZE_MAX;
	CHECK(io_uring_recvmsg_validate(buf, sizeof(buf), &msg) == NULL);
	msg.msg_controllen = 32;
	CHECK(io_uring_recvmsg_validate(buf, sizeof(buf), &msg) == o);
	CHECK(io_uring_recvmsg_name(NULL) == NULL);
	CHECK(io_uring_recvmsg_cmsg_firsthdr(NULL, &msg) == NULL);
	CHECK(io_uring_recvmsg_cmsg_firsthdr(o, NULL) == NULL);
	CHECK(io_uring_recvmsg_cmsg_firsthdr(o, &msg) == NULL);	/* controllen 0 */
	CHECK(io_uring_recvmsg_cmsg_nexthdr(NULL, &msg, c) == NULL);
	CHECK(io_uring_recvmsg_cmsg_nexthdr(o, NULL, c) == NULL);
	CHECK(io_uring_recvmsg_cmsg_nexthdr(o, &msg, NULL) == NULL);
	/* A control message whose length runs past what the kernel wrote. */
	o->controllen = 32;
	c = io_uring_recvmsg_cmsg_firsthdr(o, &msg);
	CHECK(c != NULL);
	c->cmsg_len = 1u << 30;
	CHECK(io_uring_recvmsg_cmsg_nexthdr(o, &msg, c) == NULL);
	c->cmsg_len = 0;
	CHECK(io_uring_recvmsg_cmsg_nexthdr(o, &msg, c) == NULL);
	CHECK(io_uring_recvmsg_payload(NULL, &msg) == NULL);
	CHECK(io_uring_recvmsg_payload(o, NULL) == NULL);
	CHECK_EQ(io_uring_recvmsg_payload_length(NULL, sizeof(buf), &msg), 0);
	CHECK_EQ(io_uring_recvmsg_payload_length(o, sizeof(buf), NULL), 0);
	CHECK_EQ(io_uring_recvmsg_payload_length(o, -1, &msg), 0);
	CHECK_EQ(io_uring_recvmsg_payload_length(o, 8, &msg), 0);
}

static void probes(void)
{
	struct io_uring ring;
	struct io_uring_probe *p = io_uring_get_probe();
	size_t len = sizeof(*p) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring_probe *mine = calloc(1, len);

	CHECK(p != NULL);
	CHECK_EQ(io_uring_opcode_supported(p, -1), 0);
	CHECK_EQ(io_uring_opcode_supported(p, 255), 0);
	CHECK_EQ(io_uring_opcode_supported(p, INT_MAX), 0);
	CHECK_EQ(io_uring_opcode_supported(NULL, 0), 0);
	io_uring_free_probe(p);
	io_uring_free_probe(NULL);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	/* nr 0 fills nothing; NULL or more ops than the kernel allows fail. */
	CHECK_EQ(io_uring_register_probe(&ring, mine, 0), 0);
	CHECK_EQ(mine->ops_len, 0);
	CHECK_EQ(io_uring_opcode_supported(mine, IORING_OP_NOP), 0);
	CHECK_EQ(io_uring_register_probe(&ring, NULL, 0), -EINVAL);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 100000), -EINVAL);
	/* A probe already filled in is refused. */
	memset(mine, 0, len);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 4), 0);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 4), -EINVAL);
	io_uring_queue_exit(&ring);
	free(mine);
}

static void raw_syscalls(void)
{
	struct io_uring_params p = { 0 };
	int pipefd[2], fd;
	char small[3] = { 0 };

	CHECK_EQ(io_uring_setup(8, NULL), -EFAULT);
	CHECK_EQ(io_uring_setup(0, &p), -EINVAL);
	p.flags = ~0u;
	CHECK_EQ(io_uring_setup(8, &p), -EINVAL);
	CHECK_EQ(pipe(pipefd), 0);
	CHECK_EQ(io_uring_enter(-1, 0, 0, 0, NULL), -EBADF);
	CHECK_EQ(io_uring_enter(pipefd[0], 1, 0, 0, NULL), -EOPNOTSUPP);
	CHECK_EQ(io_uring_enter2(-1, 0, 0, 0, NULL, 0), -EBADF);
	CHECK_EQ(io_uring_register(pipefd[0], IORING_REGISTER_PROBE, NULL, 0), -EOPNOTSUPP);
	CHECK_EQ(io_uring_register(INT_MAX, IORING_REGISTER_PROBE, NULL, 0), -EBADF);
	p = (struct io_uring_params) { 0 };
	fd = io_uring_setup(4, &p);
	CHECK(fd >= 0);
	CHECK_EQ(io_uring_enter(fd, 0, 0, ~0u, NULL), -EINVAL);	/* unknown flags */
	/* An extended argument of the wrong size. */
	CHECK_EQ(io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, small, 3),
		 -EINVAL);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_enter2(fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
						 (void *) 8, sizeof(struct io_uring_getevents_arg))),
		 -EFAULT);
	CHECK_EQ(io_uring_register(fd, 99999, NULL, 0), -EINVAL);	/* unknown opcode */
	close(fd);
}

static void ringless_registrations(void)
{
	struct io_uring_sqe sqe;

	CHECK_EQ(io_uring_register_bpf_filter_task(NULL), -EINVAL);
	/* NULL ends the query chain: nothing asked, nothing answered. */
	if (HAVE_REGISTER(-1, IORING_REGISTER_QUERY, NULL, 0)) {
		CHECK_EQ(io_uring_register_query(NULL), 0);
		CHECK_EQ(io_uring_register_query((void *) 8), -EFAULT);
	}
	CHECK_EQ(io_uring_register_query(NULL), raw_register(-1, IORING_REGISTER_QUERY, NULL, 0));
	/* Where the kernel lacks IORING_REGISTER_SEND_MSG_RING, its answer. */
	CHECK_EQ(io_uring_register_sync_msg(NULL), raw_register(-1, IORING_REGISTER_SEND_MSG_RING, NULL, 1));
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_msg_ring(&sqe, -1, 0, 1, 0);
	CHECK_EQ(io_uring_register_sync_msg(&sqe), raw_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
	io_uring_prep_nop(&sqe);	/* not a MSG_RING */
	CHECK_EQ(io_uring_register_sync_msg(&sqe), raw_register(-1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1));
}

static void sizes_and_versions(void)
{
	struct io_uring_params p = { .flags = ~0u };

	CHECK_EQ(io_uring_memory_size(0, 0), -EINVAL);
	CHECK_EQ(io_uring_memory_size(UINT_MAX, 0), -EINVAL);
	CHECK_EQ(io_uring_memory_size(8, ~0u), -EINVAL);
	CHECK_EQ(io_uring_memory_size_params(8, &p), -EINVAL);
	CHECK_EQ(io_uring_mlock_size(0, 0), -EINVAL);
	/* Kernels with IORING_FEAT_NATIVE_WORKERS lock no memory: 0 for any
	 * valid count, whatever the flags. */
	CHECK_EQ(io_uring_mlock_size(8, ~0u), 0);
	CHECK_EQ(io_uring_mlock_size_params(8, &p), 0);
	/* No pointers, and every int pair has an answer. */
	CHECK_EQ(io_uring_major_version(), IO_URING_VERSION_MAJOR);
	CHECK_EQ(io_uring_minor_version(), IO_URING_VERSION_MINOR);
	CHECK(!io_uring_check_version(INT_MIN, INT_MIN));
	CHECK(io_uring_check_version(INT_MAX, INT_MAX));
	CHECK(!io_uring_check_version(IO_URING_VERSION_MAJOR, IO_URING_VERSION_MINOR));
}

static void init_mem_bad(void)
{
	struct io_uring ring;
	struct io_uring_params p = { 0 };
	/* Four pages: room for an 8-entry ring whatever the page size (4K, 16K). */
	size_t page = sysconf(_SC_PAGESIZE), size = 4 * page;
	char *mem = aligned_alloc(page, size);

	CHECK(mem);
	/* NULL memory: the library allocates it, as liburing does. */
	if (HAVE_SETUP_FLAGS(IORING_SETUP_NO_MMAP)) {
		CHECK(io_uring_queue_init_mem(8, &ring, &p, NULL, 16384) > 0);
		nop_roundtrip(&ring, 1);
		io_uring_queue_exit(&ring);
	}
	p = (struct io_uring_params) { 0 };
	CHECK_EQ(io_uring_queue_init_mem(8, &ring, &p, mem, 64), -ENOMEM);
	p = (struct io_uring_params) { 0 };
	CHECK_EQ(io_uring_queue_init_mem(8, &ring, &p, mem + 1, size - 1), -EINVAL);
	CHECK(io_uring_get_sqe(&ring) == NULL);
	free(mem);
}

/* Counts and timeouts on a live ring. */
static void completion_counts(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe = NULL, *cqes[4];
	struct __kernel_timespec neg_ts = { .tv_sec = -1 };

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	queue_nops(&ring, 2, 1);
	CHECK_EQ(io_uring_submit_and_wait(&ring, 2), 2);
	/* count 0 takes nothing. */
	CHECK_EQ(io_uring_peek_batch_cqe(&ring, cqes, 0), 0);
	CHECK_EQ(io_uring_cq_ready(&ring), 2);
	io_uring_cq_advance(&ring, 0);
	CHECK_EQ(io_uring_cq_ready(&ring), 2);
	/* wait_nr 0 with CQEs ready returns the first. */
	CHECK_EQ(io_uring_wait_cqe_nr(&ring, &cqe, 0), 0);
	CHECK(cqe != NULL);
	io_uring_cq_advance(&ring, 2);
	CHECK_EQ(io_uring_wait_cqe_nr(&ring, &cqe, 0), -EAGAIN);
	/* A timeout in the past expires at once. */
	CHECK_EQ(io_uring_wait_cqe_timeout(&ring, &cqe, &neg_ts), -ETIME);
	CHECK_EQ(io_uring_wait_cqes(&ring, &cqe, 1, &neg_ts, NULL), -ETIME);
	/* wait_nr 0 on an empty CQ: nothing to wait for. */
	CHECK_EQ(io_uring_wait_cqes(&ring, &cqe, 0, &ts1ms, NULL), -EAGAIN);
	/* A registered-wait index with no region registered: -EFAULT from a
	 * kernel with registered waits, else the same as a raw enter's answer. */
	int want = raw_enter(ring.ring_fd, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | IORING_ENTER_EXT_ARG_REG,
			     (void *) (5 * sizeof(struct io_uring_reg_wait)), sizeof(struct io_uring_reg_wait));
	if (want != -EFAULT)
		lacks_case("IORING_ENTER_EXT_ARG_REG (registered waits)");
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_submit_and_wait_reg(&ring, &cqe, 1, 5)), want);
	CHECK_EQ(KERNEL_GETS_BAD(io_uring_submit_and_wait_reg(&ring, &cqe, 1, -1)), want);
	/* Not an SQPOLL ring: nothing to wait for. */
	CHECK_EQ(io_uring_sqring_wait(&ring), 0);
	CHECK_EQ(io_uring_cq_eventfd_toggle(&ring, true), 0);
	CHECK(io_uring_cq_eventfd_enabled(&ring));
	io_uring_queue_exit(&ring);
}

static const struct bi_case cases[] = {
	{ "CQE helpers on NULL", cqe_helpers },
	{ "buffer-ring helpers on NULL, odd sizes and offsets", buf_ring_helpers },
	{ "recvmsg helpers on NULL, short buffers, bad lengths", recvmsg_helpers },
	{ "probes: NULL, nr 0, huge nr, opcodes out of range", probes },
	{ "raw system calls on bad fds, flags and pointers", raw_syscalls },
	{ "ringless registrations with NULL and bad arguments", ringless_registrations },
	{ "size calculators and version checks", sizes_and_versions },
	{ "queue_init_mem with NULL, short and unaligned memory", init_mem_bad },
	{ "completion counts 0, bad timespecs, wait_reg index", completion_counts },
};

int main(void)
{
	bi_run_cases(cases, ARRAY_LEN(cases));
	return bi_finish("misc bad-input");
}
