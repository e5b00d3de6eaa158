/* BPF request filters, on a ring and on the task. Where the kernel has
 * them, a filter that denies an opcode makes requests of that opcode fail
 * while others run; where it does not, both calls must return exactly what
 * the raw io_uring_register(2) returns. */
#include <linux/filter.h>
#include "reg_helpers.h"
#include "kernel.h"

/* One instruction: return `verdict` (non-zero allows the request). */
static void filter_for(struct io_uring_bpf *bpf, struct sock_filter *insn, int opcode, int verdict)
{
	struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, verdict);

	*insn = ret;
	memset(bpf, 0, sizeof(*bpf));
	bpf->cmd_type = IO_URING_BPF_CMD_FILTER;
	bpf->filter.opcode = opcode;
	bpf->filter.filter_len = 1;
	bpf->filter.filter_ptr = (__u64) (uintptr_t) insn;
}

int main(void)
{
	struct io_uring ring;
	struct io_uring_bpf bpf;
	struct sock_filter insn;
	int ret, raw;

	CHECK_EQ(io_uring_register_bpf_filter(NULL, &bpf), -EFAULT);
	CHECK_EQ(io_uring_queue_init(8, &ring, 0), 0);
	filter_for(&bpf, &insn, IORING_OP_NOP, 0);
	ret = io_uring_register_bpf_filter(&ring, &bpf);
	if (ret < 0) {
		/* Ask again the raw way: same answer. */
		raw = raw_register(ring.ring_fd, IORING_REGISTER_BPF_FILTER, &bpf, 1);
		CHECK_EQ(ret, raw);
		raw = raw_register(-1, IORING_REGISTER_BPF_FILTER, &bpf, 1);
		CHECK_EQ(io_uring_register_bpf_filter_task(&bpf), raw);
		io_uring_queue_exit(&ring);
		SKIP_LACKS("IORING_REGISTER_BPF_FILTER");
	}

	/* NOPs are denied now, other requests still run. */
	sqe_nop(&ring, 1);
	CHECK(submit_reap(&ring, 1) < 0);
	sqe_op(&ring, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, 2)->addr = 12345;
	CHECK_EQ(submit_reap(&ring, 2), -ENOENT);
	io_uring_queue_exit(&ring);
	return 0;
}
