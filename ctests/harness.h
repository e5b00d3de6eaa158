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

/* Reports a case skipped (the test goes on); ctests/run.sh checks these
 * lines against the list of expected skips, like whole-test skips. */
#define SKIP_CASE(...) do { \
	fprintf(stderr, "skip case: "); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } while (0)

/* Skips a test whose threads must run truly concurrently (busy-waiting for
 * each other), which valgrind's one-thread-at-a-time scheduling starves. */
static inline void skip_under_valgrind(const char *why)
{
	if (getenv("CTEST_VALGRIND"))
		SKIP("under valgrind: %s", why);
}

/* Divides a workload under sanitizers and valgrind (CTEST_QUICK set),
 * which run many times slower. */
static inline unsigned long quick(unsigned long n)
{
	return getenv("CTEST_QUICK") ? n / 20 + 1 : n;
}

#endif
