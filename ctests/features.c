/* What the running kernel offers, as kernel.h learns it (raw, without the
 * library). With a feature name, exits 0 when the kernel has it and 1 when
 * not, for the example drivers (ctests/run-*.sh); without one, prints every
 * answer and checks the one every io_uring kernel gives. */
#include "kernel.h"

static const struct {
	const char *name;
	bool (*has)(void);
} features[] = {
	{ "pbuf_ring", kernel_has_pbuf_ring },
	{ "recv_multishot", kernel_recv_multishot },
	{ "sync_cancel", kernel_sync_cancel },
	{ "cancel_fd", kernel_cancel_fd },
	{ "poll_update", kernel_poll_update },
};

int main(int argc, char **argv)
{
	for (unsigned i = 0; i < sizeof(features) / sizeof(*features); i++) {
		if (argc > 1 && !strcmp(argv[1], features[i].name))
			return features[i].has() ? 0 : 1;
		if (argc == 1)
			fprintf(stderr, "%s: %s\n", features[i].name, features[i].has() ? "yes" : "no");
	}
	if (argc > 1)
		FAIL("unknown feature %s", argv[1]);
	CHECK(kernel_has_op(IORING_OP_NOP));
	CHECK(!kernel_has_op(255));
	return 0;
}
