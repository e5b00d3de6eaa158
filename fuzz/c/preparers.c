/* The `preparers` fuzz target: one preparer or SQE setter from
 * ctests/prep_calls.h, chosen by the first input byte, with numbers and
 * pointers from the rest (pointers are only stored, never read). Checks:
 * a NULL SQE is a no-op; nothing is written outside the SQE's 64 (or 128)
 * bytes; the inline fast path and the exported function write the same
 * bytes; and, built with FUZZ_UPSTREAM, the bytes equal those upstream
 * liburing's inline version writes (fuzz/c/upstream_preps.c). Any failure
 * aborts, which libFuzzer reports as a crash with the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <liburing.h>
#include "prep_calls.h"

static uint64_t nums[8];
static void *ptrs[8];
#define N(i) nums[i]
#define P(i) ptrs[i]

#define IDX(name, bytes, call) IDX_##name,
enum { PREP_CALLS(IDX) PREP_COUNT };

#define CASE(name, bytes, call) case IDX_##name: call; break;
static void inline_pass(unsigned idx, struct io_uring_sqe *s)
{
	switch (idx) { PREP_CALLS(CASE) }
}

#include "no_inline.h"
static void exported_pass(unsigned idx, struct io_uring_sqe *s)
{
	switch (idx) { PREP_CALLS(CASE) }
}

#define NAME(name, bytes, call) #name,
static const char *const names[] = { PREP_CALLS(NAME) };
#define BYTES(name, bytes, call) bytes,
static const unsigned sqe_bytes[] = { PREP_CALLS(BYTES) };

/* Upstream's version, or 0 when upstream lacks this preparer. */
int fuzz_upstream_prep(unsigned idx, struct io_uring_sqe *s, const uint64_t *n, void *const *p);

struct area {
	_Alignas(64) unsigned char bytes[64 + 128 + 64];
};

static struct io_uring_sqe *fresh(struct area *a, unsigned bytes)
{
	memset(a->bytes, 0x5a, sizeof(a->bytes));
	memset(a->bytes + 64, 0, bytes);
	return (struct io_uring_sqe *) (a->bytes + 64);
}

static void dump(const char *what, const unsigned char *b, unsigned n)
{
	fprintf(stderr, "%s:", what);
	for (unsigned i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", b[i]);
	fputc('\n', stderr);
}

static void fail(unsigned idx, const char *why, const struct area *a, const struct area *b)
{
	fprintf(stderr, "preparers: %s: %s\n", names[idx], why);
	dump("ours", a->bytes + 64, 128);
	if (b)
		dump("other", b->bytes + 64, 128);
	abort();
}

static void check_guard(unsigned idx, const struct area *a)
{
	for (unsigned i = 0; i < sizeof(a->bytes); i++)
		if ((i < 64 || i >= 64 + sqe_bytes[idx]) && a->bytes[i] != 0x5a)
			fail(idx, "wrote outside the SQE", a, NULL);
}

/* Says, once, how many preparers upstream's version is compared with
 * (tools/fuzz.sh checks the number). */
static void report_upstream(void)
{
	static int done;
	unsigned n = 0;

	if (done++)
		return;
#ifdef FUZZ_UPSTREAM
	struct area a;
	for (unsigned i = 0; i < PREP_COUNT; i++)
		n += fuzz_upstream_prep(i, fresh(&a, sqe_bytes[i]), nums, ptrs);
#endif
	fprintf(stderr, "preparers: %u of %u compared with upstream liburing's\n", n, PREP_COUNT);
}

void fuzz_preparers(const uint8_t *data, size_t len)
{
	struct area a, b;
	unsigned idx;

	report_upstream();
	if (len < 1)
		return;
	idx = data[0] % PREP_COUNT;
	data++, len--;
	memset(nums, 0, sizeof(nums));
	memset(ptrs, 0, sizeof(ptrs));
	memcpy(nums, data, len < sizeof(nums) ? len : sizeof(nums));
	if (len > sizeof(nums))
		memcpy(ptrs, data + sizeof(nums), len - sizeof(nums) < sizeof(ptrs) ?
		       len - sizeof(nums) : sizeof(ptrs));

	inline_pass(idx, NULL);
	exported_pass(idx, NULL);
	inline_pass(idx, fresh(&a, sqe_bytes[idx]));
	check_guard(idx, &a);
	exported_pass(idx, fresh(&b, sqe_bytes[idx]));
	check_guard(idx, &b);
	if (memcmp(a.bytes, b.bytes, sizeof(a.bytes)))
		fail(idx, "inline and exported versions differ", &a, &b);
#ifdef FUZZ_UPSTREAM
	if (fuzz_upstream_prep(idx, fresh(&b, sqe_bytes[idx]), nums, ptrs) &&
	    memcmp(a.bytes, b.bytes, sizeof(a.bytes)))
		fail(idx, "differs from upstream liburing's", &a, &b);
#endif
}
