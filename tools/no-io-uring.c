/* no-io-uring [--errno=EPERM|ENOSYS|EACCES] PROGRAM [ARGS...]
 *
 * Runs PROGRAM where the kernel refuses io_uring: io_uring_setup,
 * io_uring_enter and io_uring_register fail with the errno given (EPERM by
 * default, as under Docker's default seccomp profile and
 * kernel.io_uring_disabled), and every other system call is allowed. The
 * seccomp filter is inherited by every child and survives exec, so nothing
 * PROGRAM starts can use io_uring either.
 *
 * Exit status: PROGRAM's; 2 on bad usage; 125 when the filter cannot be
 * installed; 127 when PROGRAM is not found and 126 when it cannot be run,
 * as env(1) does. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Every ABI of the table below numbers the io_uring calls alike (the numbers
 * all architectures share since Linux 5.1). */
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter 426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register 427
#endif
/* x86-64's x32 ABI is AUDIT_ARCH_X86_64 with this bit set in the number. */
#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#if !defined(__x86_64__) && !defined(__i386__) && !defined(__aarch64__) && !defined(__s390x__)
#error "no-io-uring: check this architecture's io_uring numbers and add its AUDIT_ARCH_* to the filter"
#endif

/* The ABIs the filter knows: those of the architectures the project builds
 * and their 32-bit compat ABIs, all in one filter, since a 64-bit launcher
 * may run a 32-bit program and a 32-bit one a 64-bit program. A system call
 * from any other ABI kills the process: its numbers could mean anything. */
#define N_ARCH 6
/* Instruction i (1 to N_ARCH) jumps, on a match, past the kill at N_ARCH + 1. */
#define KNOWN(i, arch) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (arch), N_ARCH + 1 - (i), 0)
#define DENY_IF(nr, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), (skip), 0)

static int install_filter(int err)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		KNOWN(1, AUDIT_ARCH_X86_64),
		KNOWN(2, AUDIT_ARCH_I386),
		KNOWN(3, AUDIT_ARCH_AARCH64),
		KNOWN(4, AUDIT_ARCH_ARM),
		KNOWN(5, AUDIT_ARCH_S390X),
		KNOWN(6, AUDIT_ARCH_S390),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* x32's numbers become x86-64's; on the other ABIs a number with
		 * this bit set is no system call, so mapping it is harmless. */
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~(__u32) __X32_SYSCALL_BIT),
		DENY_IF(__NR_io_uring_setup, 3),
		DENY_IF(__NR_io_uring_enter, 2),
		DENY_IF(__NR_io_uring_register, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]), .filter = insns };

	/* Without CAP_SYS_ADMIN a filter needs no_new_privs; set it always, so
	 * the launcher behaves the same for root and for anyone else. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static void usage(FILE *to, int status)
{
	fputs("usage: no-io-uring [--errno=EPERM|ENOSYS|EACCES] PROGRAM [ARGS...]\n"
	      "Runs PROGRAM with io_uring_setup, io_uring_enter and io_uring_register failing\n"
	      "with the errno given (default EPERM, as under Docker's default seccomp profile).\n",
	      to);
	exit(status);
}

static int parse_errno(const char *name)
{
	if (!strcmp(name, "EPERM"))
		return EPERM;
	if (!strcmp(name, "ENOSYS"))
		return ENOSYS;
	if (!strcmp(name, "EACCES"))
		return EACCES;
	fprintf(stderr, "no-io-uring: --errno=%s: not EPERM, ENOSYS or EACCES\n", name);
	usage(stderr, 2);
	return 0;
}

int main(int argc, char **argv)
{
	int err = EPERM, i = 1;

	if (i < argc && !strcmp(argv[i], "--help"))
		usage(stdout, 0);
	if (i < argc && !strncmp(argv[i], "--errno=", 8))
		err = parse_errno(argv[i++] + 8);
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	else if (i < argc && argv[i][0] == '-') {
		fprintf(stderr, "no-io-uring: unknown option %s\n", argv[i]);
		usage(stderr, 2);
	}
	if (i == argc)
		usage(stderr, 2);

	if (install_filter(err)) {
		perror("no-io-uring: cannot install the seccomp filter");
		return 125;
	}
	execvp(argv[i], argv + i);
	err = errno;
	fprintf(stderr, "no-io-uring: %s: %s\n", argv[i], strerror(err));
	return err == ENOENT ? 127 : 126;
}
