/* Bad input to every SQE preparer and SQE field setter (ctests/prep_calls.h):
 * a NULL SQE is a no-op, and NULL pointers or all-ones numbers are stored
 * into the SQE without being read, with nothing written outside the SQE's
 * 64 (or 128) bytes. Both the inline fast paths of <liburing.h> and the
 * exported functions are called. Each preparer runs in its own child. */
#include <stdint.h>
#include "bad_input.h"
#include "prep_calls.h"

/* The arguments: slot k holds the k-th argument after the SQE. Pointers
 * stay NULL throughout. */
static uint64_t nums[8];
static void *const ptrs[8];
#define N(i) nums[i]
#define P(i) ptrs[i]

typedef void (*prep_fn)(struct io_uring_sqe *);

/* First pass: the names as <liburing.h> defines them (inline where it has a
 * fast path). */
#define INLINE_FN(name, bytes, call) \
	static void inline_##name(struct io_uring_sqe *s) { call; }
PREP_CALLS(INLINE_FN)

/* Second pass: the exported functions only. */
#include "no_inline.h"
#define EXPORTED_FN(name, bytes, call) \
	static void exported_##name(struct io_uring_sqe *s) { call; }
PREP_CALLS(EXPORTED_FN)

static const struct {
	const char *name;
	unsigned bytes;
	prep_fn fns[2];
} preps[] = {
#define ROW(name, bytes, call) { #name, bytes, { inline_##name, exported_##name } },
	PREP_CALLS(ROW)
};

/* Calls `fn` on an SQE inside a guard area and checks that only the SQE's
 * own bytes changed. */
static void guarded(prep_fn fn, unsigned bytes, const char *name)
{
	_Alignas(64) unsigned char area[64 + 128 + 64];
	struct io_uring_sqe *sqe = (struct io_uring_sqe *) (area + 64);

	memset(area, 0x5a, sizeof(area));
	memset(sqe, 0, bytes);
	fn(sqe);
	for (unsigned i = 0; i < sizeof(area); i++)
		if ((i < 64 || i >= 64 + bytes) && area[i] != 0x5a)
			FAIL("%s wrote byte %d outside its %u-byte SQE", name, (int) i - 64, bytes);
}

static void prep_case(unsigned i)
{
	for (int k = 0; k < 2; k++) {
		prep_fn fn = preps[i].fns[k];

		/* Numbers 0, then all ones; pointers NULL. */
		for (int v = 0; v < 2; v++) {
			memset(nums, v ? 0xff : 0, sizeof(nums));
			fn(NULL);
			guarded(fn, preps[i].bytes, preps[i].name);
		}
	}
}

int main(void)
{
	for (unsigned i = 0; i < ARRAY_LEN(preps); i++)
		IN_CHILD("%s", preps[i].name, prep_case(i));
	return bi_finish("preparer bad-input");
}
