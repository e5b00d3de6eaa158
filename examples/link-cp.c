/* link-cp: copy a file with linked read/write pairs.
 *
 *   link-cp [-d depth] [-b block-size] SOURCE DEST
 *
 * The file is cut into chunks of one block. Each of `depth` slots owns a
 * buffer and copies one chunk at a time: it queues a read of the chunk into
 * its buffer and, linked to it with IOSQE_IO_LINK, a write of that buffer
 * to the same offset of DEST. The kernel starts the write only once the
 * read has completed, so one submission moves a whole chunk, and `depth`
 * chunks are in flight at once.
 *
 * A link holds only when each step does all it was asked: a short read
 * breaks it, and the write then completes with -ECANCELED. So every slot
 * counts how much of its chunk it has read (`got`) and written (`put`),
 * and once both completions of a submission are in, queues what is still
 * missing. A read that returns 0 means the source ended early (it shrank
 * while we copied, or it is a /sys file whose size is only a guess); the
 * copy then stops at that point.
 *
 * Exits 0 when DEST holds a copy of SOURCE, 1 on any error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <liburing.h>

#define DEFAULT_DEPTH 8
#define DEFAULT_BLOCK (64 * 1024)

/* The low bit of a request's user_data says which half of a pair it is;
 * the rest is the slot's index. */
enum { OP_READ = 0, OP_WRITE = 1 };

struct slot {
	char *buf;
	off_t off;		/* where the slot's chunk starts in both files */
	size_t len;		/* the chunk's length */
	size_t got;		/* bytes of it read into buf so far */
	size_t put;		/* bytes of it written out so far */
	int pending;		/* requests in flight for this slot */
	int busy;		/* holds a chunk that is not fully copied */
};

struct copy {
	struct io_uring ring;
	int in, out;
	off_t size;		/* bytes to copy; lowered if the source ends early */
	off_t next;		/* start of the next chunk no slot has taken yet */
	size_t block;
	int depth;
	struct slot *slots;
	int failed;
};

static int usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-d depth] [-b block-size] SOURCE DEST\n", prog);
	return 1;
}

/* Queues the next step for slot `i`: a read of what is still unread,
 * linked to a write of everything not yet written; or just the write once
 * the whole chunk is in the buffer. Every write is for the full remainder
 * of the chunk, so it can only succeed in full if the read before it
 * did. */
static void queue_slot(struct copy *c, int i)
{
	struct slot *s = &c->slots[i];
	struct io_uring_sqe *sqe;

	if (s->got < s->len) {
		sqe = io_uring_get_sqe(&c->ring);
		io_uring_prep_read(sqe, c->in, s->buf + s->got, s->len - s->got,
				   s->off + s->got);
		io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
		io_uring_sqe_set_data64(sqe, (__u64)i << 1 | OP_READ);
		s->pending++;
	}
	sqe = io_uring_get_sqe(&c->ring);
	io_uring_prep_write(sqe, c->out, s->buf + s->put, s->len - s->put, s->off + s->put);
	io_uring_sqe_set_data64(sqe, (__u64)i << 1 | OP_WRITE);
	s->pending++;
}

/* Gives slot `i` the next chunk of the file, if there is one left. */
static void start_chunk(struct copy *c, int i)
{
	struct slot *s = &c->slots[i];
	off_t left = c->size - c->next;

	s->busy = 0;
	if (c->failed || left <= 0)
		return;
	s->off = c->next;
	s->len = left < (off_t)c->block ? (size_t)left : c->block;
	s->got = s->put = 0;
	s->busy = 1;
	c->next += s->len;
	queue_slot(c, i);
}

/* Books one completion against its slot. A request that came back with a
 * transient error is simply queued again by the caller, since got and put
 * have not moved. */
static void complete(struct copy *c, struct io_uring_cqe *cqe)
{
	struct slot *s = &c->slots[cqe->user_data >> 1];
	int is_write = cqe->user_data & 1;
	int res = cqe->res;

	s->pending--;
	if (res > 0) {
		if (is_write)
			s->put += res;
		else
			s->got += res;
	} else if (res == 0 && !is_write) {
		/* End of the source before the end of this chunk. */
		s->len = s->got;
		if (c->size > s->off + (off_t)s->got)
			c->size = s->off + s->got;
	} else if (res == -ECANCELED && is_write) {
		/* The read before it was short; nothing went wrong. */
	} else if (res == -EAGAIN || res == -EINTR) {
		/* Try again. */
	} else {
		fprintf(stderr, "link-cp: %s at offset %lld: %s\n",
			is_write ? "write" : "read", (long long)(s->off + (is_write ? s->put : s->got)),
			res == 0 ? "wrote nothing" : strerror(-res));
		c->failed = 1;
	}
}

static int copy_file(struct copy *c)
{
	for (int i = 0; i < c->depth; i++)
		start_chunk(c, i);

	for (;;) {
		struct io_uring_cqe *cqe;
		int in_flight = 0, ret;

		for (int i = 0; i < c->depth; i++)
			in_flight += c->slots[i].pending;
		if (!in_flight)
			break;

		ret = io_uring_submit_and_wait(&c->ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "link-cp: submit: %s\n", strerror(-ret));
			/* Requests may still be in flight; leave them to
			 * io_uring_queue_exit, which cancels them. */
			return -1;
		}
		/* Take every completion that is ready, then decide what each
		 * slot whose requests have all come back does next. */
		while (io_uring_peek_cqe(&c->ring, &cqe) == 0) {
			complete(c, cqe);
			io_uring_cqe_seen(&c->ring, cqe);
		}
		for (int i = 0; i < c->depth; i++) {
			struct slot *s = &c->slots[i];

			if (!s->busy || s->pending)
				continue;
			if (c->failed)
				s->busy = 0;
			else if (s->put < s->len)
				queue_slot(c, i);
			else
				start_chunk(c, i);
		}
	}
	return c->failed ? -1 : 0;
}

int main(int argc, char *argv[])
{
	struct copy c = { .in = -1, .out = -1, .depth = DEFAULT_DEPTH, .block = DEFAULT_BLOCK };
	struct stat st;
	int opt, ret, status = 1;

	while ((opt = getopt(argc, argv, "d:b:")) != -1) {
		switch (opt) {
		case 'd':
			c.depth = atoi(optarg);
			break;
		case 'b':
			c.block = strtoul(optarg, NULL, 0);
			break;
		default:
			return usage(argv[0]);
		}
	}
	if (argc - optind != 2 || c.depth < 1 || c.depth > 1024 || c.block < 1 ||
	    c.block > (1U << 30))
		return usage(argv[0]);

	c.in = open(argv[optind], O_RDONLY);
	if (c.in < 0) {
		perror(argv[optind]);
		return 1;
	}
	if (fstat(c.in, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "link-cp: %s: not a regular file\n", argv[optind]);
		close(c.in);
		return 1;
	}
	c.size = st.st_size;
	c.out = open(argv[optind + 1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (c.out < 0) {
		perror(argv[optind + 1]);
		close(c.in);
		return 1;
	}

	/* Each slot has at most two requests queued: one SQ entry each. */
	ret = io_uring_queue_init(2 * c.depth, &c.ring, 0);
	if (ret < 0) {
		fprintf(stderr, "link-cp: queue_init: %s\n", strerror(-ret));
		goto out_files;
	}
	c.slots = calloc(c.depth, sizeof(*c.slots));
	for (int i = 0; c.slots && i < c.depth; i++) {
		c.slots[i].buf = malloc(c.block);
		if (!c.slots[i].buf)
			break;
	}
	if (!c.slots || !c.slots[c.depth - 1].buf)
		fprintf(stderr, "link-cp: out of memory\n");
	else if (copy_file(&c) == 0)
		status = 0;

	/* Tear the ring down before freeing the buffers its requests use. */
	io_uring_queue_exit(&c.ring);
	for (int i = 0; c.slots && i < c.depth; i++)
		free(c.slots[i].buf);
	free(c.slots);
out_files:
	close(c.in);
	if (close(c.out) < 0) {
		perror("link-cp: close");
		status = 1;
	}
	return status;
}
