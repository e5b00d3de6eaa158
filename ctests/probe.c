/* Opcode probes: io_uring_get_probe, _get_probe_ring, io_uring_register_probe,
 * io_uring_opcode_supported, and releasing probes with io_uring_free_probe
 * or plain free(). */
#include <limits.h>
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

static void check_probe(const struct io_uring_probe *p)
{
	const struct io_uring_probe *k;

	CHECK(p != NULL);
	CHECK(p->last_op >= IORING_OP_TIMEOUT);
	CHECK(p->ops_len > IORING_OP_TIMEOUT);
	CHECK_EQ(io_uring_opcode_supported(p, IORING_OP_NOP), 1);
	CHECK_EQ(io_uring_opcode_supported(p, IORING_OP_TIMEOUT), 1);
	CHECK_EQ(io_uring_opcode_supported(p, IORING_OP_READ), 1);
	CHECK_EQ(io_uring_opcode_supported(p, 255), 0);
	CHECK_EQ(io_uring_opcode_supported(p, p->last_op + 1), 0);
	CHECK_EQ(io_uring_opcode_supported(p, -1), 0);
	CHECK_EQ(io_uring_opcode_supported(p, INT_MIN), 0);
	CHECK_EQ(io_uring_opcode_supported(p, INT_MAX), 0);
	for (int op = 0; op <= p->last_op; op++)
		CHECK_EQ(p->ops[op].op, op);
	/* Opcode by opcode, the kernel's own answer on a raw ring. */
	k = kernel_probe();
	CHECK(k != NULL);
	for (int op = 0; op < 256; op++)
		CHECK_EQ(io_uring_opcode_supported(p, op),
			 op <= k->last_op && (k->ops[op].flags & IO_URING_OP_SUPPORTED));
}

static void same_probe(const struct io_uring_probe *a, const struct io_uring_probe *b)
{
	CHECK_EQ(a->last_op, b->last_op);
	for (int op = 0; op <= a->last_op + 1; op++)
		CHECK_EQ(io_uring_opcode_supported(a, op), io_uring_opcode_supported(b, op));
}

int main(void)
{
	struct io_uring_probe *global, *ring_probe, *mine;
	size_t len = sizeof(*mine) + 256 * sizeof(struct io_uring_probe_op);
	struct io_uring ring;
	struct io_uring_params p = { .flags = IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY };

	global = io_uring_get_probe();
	check_probe(global);

	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	ring_probe = io_uring_get_probe_ring(&ring);
	check_probe(ring_probe);
	same_probe(global, ring_probe);

	/* register_probe fills a caller's zeroed buffer. */
	mine = calloc(1, len);
	CHECK(mine != NULL);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 256), 0);
	check_probe(mine);
	same_probe(global, mine);
	/* The kernel wants a zeroed buffer and at most 256 ops. */
	CHECK_EQ(io_uring_register_probe(&ring, mine, 256), -EINVAL);
	memset(mine, 0, len);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 257), -EINVAL);
	/* A short probe knows only its first ops; the rest read as unsupported. */
	memset(mine, 0, len);
	CHECK_EQ(io_uring_register_probe(&ring, mine, 4), 0);
	CHECK_EQ(mine->ops_len, 4);
	CHECK_EQ(io_uring_opcode_supported(mine, IORING_OP_NOP), 1);
	CHECK_EQ(io_uring_opcode_supported(mine, IORING_OP_TIMEOUT), 0);
	free(mine);
	io_uring_queue_exit(&ring);

	/* Through a ring that only has a registered index. */
	if (io_uring_queue_init_mem(4, &ring, &p, NULL, 0) >= 0) {
		struct io_uring_probe *reg = io_uring_get_probe_ring(&ring);

		check_probe(reg);
		same_probe(global, reg);
		io_uring_free_probe(reg);
		io_uring_queue_exit(&ring);
	}

	/* Probes come from malloc: plain free() releases them. */
	free(global);
	io_uring_free_probe(ring_probe);
	io_uring_free_probe(NULL);
	CHECK_EQ(io_uring_opcode_supported(NULL, IORING_OP_NOP), 0);
	return 0;
}
