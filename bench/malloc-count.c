/* An LD_PRELOAD shim that counts heap allocations and prints the count at
 * exit, so bench/run.py can show that the submit and reap paths allocate
 * nothing: the count must not grow with the number of operations. */
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static unsigned long allocations;

void *malloc(size_t n)
{
	__atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	__atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	__atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
	return __libc_realloc(p, n);
}

__attribute__((destructor)) static void report(void)
{
	fprintf(stderr, "allocations: %lu\n", allocations);
}
