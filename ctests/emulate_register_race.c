/* Registering and unregistering fixed files on an emulated ring while
 * another thread submits reads through them, as the kernel allows: each
 * read finds the table there (and reads the file) or gone (-EBADF), and
 * neither thread waits for ever on the table lock that keeps a table from
 * being unmapped under a reader. (The window in which an unlocked reader
 * met an unmapped table was a few instructions wide: too narrow for a
 * test to hit reliably, so this one checks outcomes and lock order.) */
#include <liburing.h>
#include <liburing/rs.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/uio.h>
#include <unistd.h>
#include "harness.h"

#define ROUNDS 2000

static struct io_uring ring;
static int file;
static atomic_int stop;

static void *registrar(void *arg)
{
	(void) arg;
	for (int i = 0; i < ROUNDS; i++) {
		CHECK_EQ(io_uring_register_files(&ring, &file, 1), 0);
		CHECK_EQ(io_uring_unregister_files(&ring), 0);
	}
	atomic_store(&stop, 1);
	return NULL;
}

int main(void)
{
	char tmpl[] = "/tmp/uring-rs-regrace-XXXXXX", buf[4];
	unsigned reads = 0, found = 0;
	pthread_t th;

	skip_under_valgrind("it runs one thread at a time, so the registrar may finish before a single read");
	file = mkstemp(tmpl);
	CHECK(file >= 0);
	unlink(tmpl);
	CHECK_EQ(write(file, "data", 4), 4);
	/* Where the file system refuses RWF_NOWAIT, every read goes to a
	 * worker holding the slot's fd, which unregistering closes under it
	 * (the engine keeps no reference of its own, as the kernel does). */
	struct iovec probe = { buf, sizeof(buf) };
	if (preadv2(file, &probe, 1, 0, RWF_NOWAIT) < 0)
		SKIP("this file system lacks RWF_NOWAIT reads");
	setenv("URING_RS_EMULATE", "always", 1);
	CHECK_EQ(io_uring_queue_init(4, &ring, 0), 0);
	CHECK_EQ(io_uring_rs_is_emulated(&ring), 1);
	CHECK_EQ(pthread_create(&th, NULL, registrar, NULL), 0);
	while (!atomic_load(&stop)) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;

		io_uring_prep_read(sqe, 0, buf, 4, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		CHECK_EQ(io_uring_submit_and_wait(&ring, 1), 1);
		CHECK_EQ(io_uring_peek_cqe(&ring, &cqe), 0);
		if (cqe->res != -EBADF) {
			CHECK_EQ(cqe->res, 4);
			found++;
		}
		io_uring_cqe_seen(&ring, cqe);
		reads++;
	}
	pthread_join(th, NULL);
	CHECK(reads > 0);
	fprintf(stderr, "%u reads, %u while registered\n", reads, found);
	io_uring_queue_exit(&ring);
	close(file);
	return 0;
}
