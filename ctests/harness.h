/* The C test harness: a test is a program that exits 0 to pass, 77 to skip
 * (saying why on stderr) and anything else to fail. */
#ifndef CTESTS_HARNESS_H
#define CTESTS_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) do { \
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); exit(1); } while (0)

#define SKIP(...) do { \
	fprintf(stderr, "skip: "); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); exit(77); } while (0)

#define CHECK(cond) do { if (!(cond)) FAIL("CHECK(%s) failed", #cond); } while (0)

/* Compares two integers, printing both on failure. */
#define CHECK_EQ(a, b) do { \
	long long a_ = (long long) (a), b_ = (long long) (b); \
	if (a_ != b_) FAIL("%s == %lld, expected %s == %lld", #a, a_, #b, b_); \
} while (0)

/* Sets up a ring or skips the test when the kernel refuses the flags with
 * -EINVAL (an older kernel) or -EPERM (no privilege). */
#define RING_OR_SKIP(ret, what) do { \
	int r_ = (ret); \
	if (r_ == -EINVAL || r_ == -EPERM || r_ == -EOPNOTSUPP) \
		SKIP("%s: kernel refused with %s", what, strerror(-r_)); \
	CHECK_EQ(r_, 0); \
} while (0)

/* Divides a workload under sanitizers and valgrind (CTEST_QUICK set),
 * which run many times slower. */
static inline unsigned long quick(unsigned long n)
{
	return getenv("CTEST_QUICK") ? n / 20 + 1 : n;
}

#endif
