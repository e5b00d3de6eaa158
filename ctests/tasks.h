/* This process's threads, as /proc/self/task lists them: the tests that
 * look for the kernel's threads (SQPOLL pollers, io-wq workers) or the
 * engine's walk them through these. */
#ifndef CTESTS_TASKS_H
#define CTESTS_TASKS_H

#include <dirent.h>
#include "harness.h"

/* Calls fn(tid, arg) for each thread of this process and returns the sum
 * of what it returned. */
static inline long each_task(long (*fn)(const char *tid, void *arg), void *arg)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	long sum = 0;

	CHECK(d != NULL);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			sum += fn(e->d_name, arg);
	closedir(d);
	return sum;
}

static inline long count_task(const char *tid, void *arg)
{
	(void) tid;
	(void) arg;
	return 1;
}

/* How many threads this process has, named or not. */
static inline int threads(void)
{
	return each_task(count_task, NULL);
}

/* Reads the first line of /proc/self/task/<tid>/<file> into `out`, without
 * its newline; 0 when the thread has gone. */
static inline int task_line(const char *tid, const char *file, char *out, size_t len)
{
	char path[300];
	FILE *f;
	int got;

	snprintf(path, sizeof(path), "/proc/self/task/%s/%s", tid, file);
	if (!(f = fopen(path, "r")))
		return 0;
	got = fgets(out, len, f) != NULL;
	fclose(f);
	if (got)
		out[strcspn(out, "\n")] = 0;
	return got;
}

/* Reads the value of `key` in /proc/self/task/<tid>/status ("Name",
 * "Cpus_allowed_list", ...) into `out`; 0 when it is absent or the thread
 * has gone. */
static inline int task_status(const char *tid, const char *key, char *out, size_t len)
{
	char path[300], line[256];
	size_t klen = strlen(key);
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%s/status", tid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *v = line + klen + 1;

			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = 0;
			snprintf(out, len, "%s", v);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

#endif
