/* The case runner the bad_input*.c tests share: every case runs in a forked
 * child, so a crash (any signal) or a failed CHECK fails that case alone
 * and the others still run. Also the "ring that is not set up" check: a
 * call made on a NULL, a zeroed and an exited ring must answer with the
 * library's convention for its return type. docs/bad-input.md lists the
 * cases; tools/check-bad-input.sh checks every exported function has one. */
#ifndef CTESTS_BAD_INPUT_H
#define CTESTS_BAD_INPUT_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <liburing.h>
#include "helpers.h"

static int bi_failed, bi_ran;

/* Runs `body` in a child; a signal or a nonzero exit fails the case. */
#define IN_CHILD(label_fmt, label_arg, body) do { \
	pid_t pid_; \
	int status_; \
	fflush(stderr); \
	pid_ = fork(); \
	CHECK(pid_ >= 0); \
	if (pid_ == 0) { \
		body; \
		_exit(0); \
	} \
	CHECK_EQ(waitpid(pid_, &status_, 0), pid_); \
	bi_ran++; \
	if (WIFSIGNALED(status_)) { \
		fprintf(stderr, "FAIL " label_fmt ": killed by signal %d (%s)\n", label_arg, \
			WTERMSIG(status_), strsignal(WTERMSIG(status_))); \
		bi_failed++; \
	} else if (WEXITSTATUS(status_) == 77) { \
		/* a skipped case: the child said which feature it lacks */ \
	} else if (WEXITSTATUS(status_) != 0) { \
		fprintf(stderr, "FAIL " label_fmt "\n", label_arg); \
		bi_failed++; \
	} \
} while (0)

/* What a call on a ring that is not set up must return, by return type:
 * INT -EFAULT (NULL ring) or -EBADF, PTR NULL, UINT 0, BOOL false, VOID
 * nothing. The wrappers return the result as a long (pointers as "not
 * NULL"). */
enum bi_ret { INT, PTR, UINT, BOOL, VOID };

struct ring_case {
	const char *name;
	enum bi_ret ret;
	long (*call)(struct io_uring *);
};

#define CALL(name, expr) \
	static long call_##name(struct io_uring *ring) { return (long) (expr); }
#define CALL_VOID(name, stmt) \
	static long call_##name(struct io_uring *ring) { stmt; return 0; }
#define ENTRY(name, ret) { #name, ret, call_##name }

enum bi_state { NULL_RING, ZEROED, EXITED };
static const char *const bi_state_names[] = { "NULL", "zeroed", "exited" };

/* Puts `ring` in `state` and returns what to pass for it. */
static inline struct io_uring *bi_ring_in(struct io_uring *ring, enum bi_state state)
{
	switch (state) {
	case NULL_RING:
		return NULL;
	case ZEROED:
		memset(ring, 0, sizeof(*ring));
		return ring;
	case EXITED:
		CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
		nop_roundtrip(ring, 1);
		io_uring_queue_exit(ring);
		return ring;
	}
	return NULL;
}

static inline void bi_ring_case(const struct ring_case *c, enum bi_state state)
{
	struct io_uring ring, *arg = bi_ring_in(&ring, state);
	long got, want = 0;

	if (c->ret == INT)
		want = state == NULL_RING ? -EFAULT : -EBADF;
	got = c->call(arg);
	if (got != want)
		FAIL("%s on a %s ring returned %ld, expected %ld", c->name,
		     bi_state_names[state], got, want);
	/* Still not set up, and still harmless. */
	if (arg) {
		CHECK(io_uring_get_sqe(arg) == NULL);
		CHECK_EQ(io_uring_submit(arg), -EBADF);
		io_uring_queue_exit(arg);
	}
}

/* Every ring case in all three states. */
static inline void bi_run_ring_cases(const struct ring_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int s = NULL_RING; s <= EXITED; s++)
			IN_CHILD("%s", cases[i].name, bi_ring_case(&cases[i], s));
}

struct bi_case {
	const char *name;
	void (*fn)(void);
};

static inline void bi_run_cases(const struct bi_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		IN_CHILD("%s", cases[i].name, cases[i].fn());
}

static inline int bi_finish(const char *what)
{
	fprintf(stderr, "%d of %d %s cases failed\n", bi_failed, bi_ran, what);
	return bi_failed ? 1 : 0;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof(*(a)))

/* Wraps a call that hands the kernel bad memory on purpose (the kernel
 * answers -EFAULT or -EINVAL): under valgrind, Memcheck's reports of the
 * system call's arguments are switched off around it. */
#if defined(__has_include) && __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define KERNEL_GETS_BAD(expr) __extension__ ({ \
	VALGRIND_DISABLE_ERROR_REPORTING; \
	__typeof__(expr) r_ = (expr); \
	VALGRIND_ENABLE_ERROR_REPORTING; \
	r_; \
})
#else
#define KERNEL_GETS_BAD(expr) (expr)
#endif

#endif
