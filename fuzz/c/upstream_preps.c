/* Upstream liburing's inline preparers, compiled from its own header in
 * this translation unit alone (its static inline functions cannot clash
 * with our exported ones), for the `preparers` fuzz target to compare
 * with. Preparers the upstream version lacks become up_absent() through
 * the generated up_absent.h. */
#include <stdint.h>
#include <liburing.h>
#include "prep_calls.h"

static int present;

static void up_absent(void)
{
	present = 0;
}

#include "up_absent.h"

#define IDX(name, bytes, call) IDX_##name,
enum { PREP_CALLS(IDX) PREP_COUNT };

int fuzz_upstream_prep(unsigned idx, struct io_uring_sqe *s, const uint64_t *n, void *const *p);

#define N(i) n[i]
#define P(i) p[i]
#define CASE(name, bytes, call) case IDX_##name: call; break;

int fuzz_upstream_prep(unsigned idx, struct io_uring_sqe *s, const uint64_t *n, void *const *p)
{
	present = 1;
	switch (idx) { PREP_CALLS(CASE) }
	return present;
}
