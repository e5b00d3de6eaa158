/* Watches the library's io_uring_setup/enter/register calls from outside
 * it: the library makes syscalls with its own `syscall` instruction, so
 * only the kernel sees them. A seccomp filter turns those three into user
 * notifications; a supervisor thread records each call's arguments (and,
 * for io_uring_enter with IORING_ENTER_EXT_ARG, the io_uring_getevents_arg
 * and timeout it points to, for io_uring_setup the flags) and lets it
 * continue unchanged. */
#ifndef CTESTS_SYSCALL_SPY_H
#define CTESTS_SYSCALL_SPY_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <liburing.h>
#include "harness.h"
#include "kernel.h"

#if defined(__x86_64__)
#define SPY_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SPY_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define SPY_ARCH AUDIT_ARCH_I386
#elif defined(__s390x__)
#define SPY_ARCH AUDIT_ARCH_S390X
#else
#error "syscall_spy.h: add this architecture's AUDIT_ARCH_*"
#endif

struct spy_call {
	long nr;
	unsigned long long args[6];
	/* io_uring_enter with IORING_ENTER_EXT_ARG and a full-size argument. */
	struct io_uring_getevents_arg ext;
	struct __kernel_timespec ts;
	/* io_uring_setup: the flags of the params it was given. */
	unsigned setup_flags;
};

#define SPY_MAX 512
static struct spy_call spy_calls[SPY_MAX];
static unsigned spy_n;
static int spy_fd = -1;

static void spy_record(const struct seccomp_notif *req)
{
	unsigned n = __atomic_load_n(&spy_n, __ATOMIC_RELAXED);
	struct spy_call *c;
	char task[64];

	if (n == SPY_MAX)
		return;
	c = &spy_calls[n];
	memset(c, 0, sizeof(*c));
	c->nr = req->data.nr;
	memcpy(c->args, req->data.args, sizeof(c->args));
	/* A caller that is a thread of this process is blocked in the call:
	 * its argument memory is ours to read. */
	snprintf(task, sizeof(task), "/proc/self/task/%u", req->pid);
	if (c->nr == __NR_io_uring_enter && (c->args[3] & IORING_ENTER_EXT_ARG) && c->args[4] &&
	    c->args[5] == sizeof(c->ext) && access(task, F_OK) == 0) {
		c->ext = *(const struct io_uring_getevents_arg *) (uintptr_t) c->args[4];
		if (c->ext.ts)
			c->ts = *(const struct __kernel_timespec *) (uintptr_t) c->ext.ts;
	}
	if (c->nr == __NR_io_uring_setup && c->args[1] && access(task, F_OK) == 0)
		c->setup_flags = ((const struct io_uring_params *) (uintptr_t) c->args[1])->flags;
	__atomic_store_n(&spy_n, n + 1, __ATOMIC_RELEASE);
}

static void *spy_loop(void *unused)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void) unused;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(spy_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		spy_record(&req);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(spy_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* From here on, this thread's (and its children's) io_uring syscalls are
 * recorded. Call once, before creating other threads. */
static inline void spy_start(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SPY_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_enter, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_register, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };
	pthread_t t;

	skip_under_valgrind("seccomp user notification of the guest's syscalls");
	CHECK_EQ(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	spy_fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (spy_fd < 0)
		SKIP_LACKS("seccomp user notification (SECCOMP_FILTER_FLAG_NEW_LISTENER)");
	CHECK_EQ(pthread_create(&t, NULL, spy_loop, NULL), 0);
	CHECK_EQ(pthread_detach(t), 0);
}

/* A mark: calls recorded from now on are those at index >= the mark. */
static inline unsigned spy_mark(void)
{
	return __atomic_load_n(&spy_n, __ATOMIC_ACQUIRE);
}

/* The next call of syscall `nr` at or after *i (advancing *i past it), or
 * NULL. */
static inline const struct spy_call *spy_next(unsigned *i, long nr)
{
	unsigned n = spy_mark();

	CHECK(n < SPY_MAX);
	for (; *i < n; ++*i)
		if (spy_calls[*i].nr == nr)
			return &spy_calls[(*i)++];
	return NULL;
}

#endif
