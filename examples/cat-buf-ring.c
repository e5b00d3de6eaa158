/* cat-buf-ring: copy a file (or standard input) to standard output, reading
 * into buffers the kernel picks from a provided-buffer ring.
 *
 *   cat-buf-ring [FILE]
 *
 * With IOSQE_BUFFER_SELECT a read names no buffer of its own: it names a
 * buffer group, and the kernel takes the next free buffer of that group
 * when data is there, reporting which one in the completion's flags
 * (IORING_CQE_F_BUFFER, buffer id in the upper 16 bits). We give buffers
 * back by adding them to the ring again once they have been written out.
 *
 * One read is in flight at a time, at offset -1 ("the file's current
 * position"), so this works for pipes as well as files; it runs ahead of
 * the writer by as many buffers as are free. Filled buffers wait in a
 * first-in first-out queue and are written to fd 1 one at a time, so the
 * output keeps the input's order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>

#define NBUFS 16		/* buffers in the ring: a power of two */
#define BUF_SIZE (32 * 1024)
#define BGID 7			/* our buffer group's id: any 16-bit number */

enum { OP_READ = 1, OP_WRITE = 2 };

struct cat {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	char *bufs;		/* NBUFS buffers of BUF_SIZE, back to back */
	int in;
	int in_ring;		/* buffers the kernel may still pick */
	/* Filled buffers in input order: ids and lengths, `head` first. */
	unsigned short queue_bid[NBUFS];
	unsigned queue_len[NBUFS];
	unsigned head, count;
	unsigned written;	/* bytes of the head buffer already written */
	int reading, writing;	/* requests in flight */
	int eof, failed;
};

static char *buf_addr(struct cat *c, unsigned short bid)
{
	return c->bufs + (size_t)bid * BUF_SIZE;
}

/* Hands buffer `bid` back to the kernel. */
static void recycle(struct cat *c, unsigned short bid)
{
	io_uring_buf_ring_add(c->br, buf_addr(c, bid), BUF_SIZE, bid,
			      io_uring_buf_ring_mask(NBUFS), 0);
	io_uring_buf_ring_advance(c->br, 1);
	c->in_ring++;
}

/* Queues the next request of each kind, if there is work for it. */
static void queue_more(struct cat *c)
{
	struct io_uring_sqe *sqe;

	if (!c->reading && !c->eof && !c->failed && c->in_ring > 0) {
		sqe = io_uring_get_sqe(&c->ring);
		/* No buffer address: the kernel fills in one from group
		 * BGID, up to BUF_SIZE bytes. */
		io_uring_prep_read(sqe, c->in, NULL, BUF_SIZE, -1);
		io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
		io_uring_sqe_set_buf_group(sqe, BGID);
		io_uring_sqe_set_data64(sqe, OP_READ);
		c->reading = 1;
	}
	if (!c->writing && c->count > 0 && !c->failed) {
		unsigned short bid = c->queue_bid[c->head];

		sqe = io_uring_get_sqe(&c->ring);
		io_uring_prep_write(sqe, STDOUT_FILENO, buf_addr(c, bid) + c->written,
				    c->queue_len[c->head] - c->written, -1);
		io_uring_sqe_set_data64(sqe, OP_WRITE);
		c->writing = 1;
	}
}

static void read_done(struct cat *c, struct io_uring_cqe *cqe)
{
	c->reading = 0;
	if (cqe->flags & IORING_CQE_F_BUFFER) {
		unsigned short bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

		c->in_ring--;
		if (cqe->res > 0) {
			unsigned tail = (c->head + c->count) % NBUFS;

			c->queue_bid[tail] = bid;
			c->queue_len[tail] = cqe->res;
			c->count++;
			return;
		}
		/* It took a buffer but put nothing in it. */
		recycle(c, bid);
	}
	if (cqe->res == 0)
		c->eof = 1;
	else if (cqe->res != -EAGAIN && cqe->res != -EINTR && cqe->res != -ENOBUFS) {
		/* -ENOBUFS would mean the ring ran dry: we only read when it
		 * has a buffer, but reading again later is right anyway. */
		fprintf(stderr, "cat-buf-ring: read: %s\n", strerror(-cqe->res));
		c->failed = 1;
	}
}

static void write_done(struct cat *c, struct io_uring_cqe *cqe)
{
	c->writing = 0;
	if (cqe->res > 0) {
		c->written += cqe->res;
		if (c->written == c->queue_len[c->head]) {
			/* All of it is out: give it back, move to the next. */
			recycle(c, c->queue_bid[c->head]);
			c->head = (c->head + 1) % NBUFS;
			c->count--;
			c->written = 0;
		}
	} else if (cqe->res != -EAGAIN && cqe->res != -EINTR) {
		fprintf(stderr, "cat-buf-ring: write: %s\n",
			cqe->res ? strerror(-cqe->res) : "wrote nothing");
		c->failed = 1;
	}
}

static int run(struct cat *c)
{
	for (;;) {
		struct io_uring_cqe *cqe;
		int ret;

		queue_more(c);
		if (!c->reading && !c->writing)
			break;
		ret = io_uring_submit_and_wait(&c->ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "cat-buf-ring: submit: %s\n", strerror(-ret));
			return -1;
		}
		while (io_uring_peek_cqe(&c->ring, &cqe) == 0) {
			if (cqe->user_data == OP_READ)
				read_done(c, cqe);
			else
				write_done(c, cqe);
			io_uring_cqe_seen(&c->ring, cqe);
		}
	}
	return c->failed ? -1 : 0;
}

int main(int argc, char *argv[])
{
	struct cat c = { .in = STDIN_FILENO };
	int ret, status = 1;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [FILE]\n", argv[0]);
		return 1;
	}
	if (argc == 2) {
		c.in = open(argv[1], O_RDONLY);
		if (c.in < 0) {
			perror(argv[1]);
			return 1;
		}
	}
	ret = io_uring_queue_init(4, &c.ring, 0);
	if (ret < 0) {
		fprintf(stderr, "cat-buf-ring: queue_init: %s\n", strerror(-ret));
		goto out_file;
	}
	/* Allocates the ring, registers it as group BGID, returns it empty. */
	c.br = io_uring_setup_buf_ring(&c.ring, NBUFS, BGID, 0, &ret);
	c.bufs = malloc((size_t)NBUFS * BUF_SIZE);
	if (!c.br || !c.bufs) {
		fprintf(stderr, "cat-buf-ring: buffers: %s\n", strerror(c.br ? ENOMEM : -ret));
	} else {
		for (unsigned short bid = 0; bid < NBUFS; bid++)
			recycle(&c, bid);
		if (run(&c) == 0)
			status = 0;
	}
	if (c.br)
		io_uring_free_buf_ring(&c.ring, c.br, NBUFS, BGID);
	io_uring_queue_exit(&c.ring);
	free(c.bufs);
out_file:
	if (c.in != STDIN_FILENO)
		close(c.in);
	return status;
}
