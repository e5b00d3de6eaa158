/* echo-server: a TCP echo server on 127.0.0.1 driven by one io_uring.
 *
 *   echo-server [-p port] [-n connections] [-r entries] [-b buffers]
 *
 * -p: the port to listen on; 0 (the default) lets the kernel pick one.
 *     Either way the server prints "listening on <port>" when ready.
 * -n: exit (with status 0) once this many connections have closed;
 *     0 (the default) means run for ever.
 * -r: the ring's size (default 256). A tiny ring (say 4) overflows its
 *     completion queue, which makes the kernel end multishot requests
 *     early; the server then arms them again.
 * -b: buffers in the provided-buffer ring, a power of two up to 32768
 *     (default 64). Few buffers make receives run out (-ENOBUFS); a
 *     server with thousands of busy connections wants thousands.
 *
 * It serves as many connections as its file limit (RLIMIT_NOFILE) allows.
 *
 * What it shows:
 * - One multishot accept: a single request that posts a completion for
 *   every new connection, for as long as IORING_CQE_F_MORE is set.
 * - One multishot receive per connection, with no buffer of its own: each
 *   completion carries the id of a buffer the kernel took from our
 *   provided-buffer ring (io_uring_setup_buf_ring).
 * - Echoing with io_uring_prep_send, one send in flight per connection so
 *   the bytes go back in the order they came; received buffers queue up
 *   behind it. A buffer goes back into the ring once it is fully sent.
 * - When every buffer is waiting to be sent, a receive ends with -ENOBUFS;
 *   that connection's receive is armed again when buffers come back.
 * - A receive returning 0 means the peer has finished sending: we send
 *   what is still queued, then close.
 *
 * A peer that sends without ever reading can end up holding every buffer
 * and stall the others; a real server would cap each connection's share.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <liburing.h>

#define MAX_BUFS 32768		/* the most a buffer ring holds */
#define BUF_SIZE (8 * 1024)
#define BGID 1			/* our buffer group's id */

/* A request's user_data: the fd it works on, shifted, and what it is. */
enum { OP_ACCEPT = 1, OP_RECV, OP_SEND, OP_CANCEL };
#define UDATA(fd, op) ((__u64)(fd) << 8 | (op))

struct conn {
	int fd;
	int recv_armed;		/* a multishot receive is in flight */
	int starved;		/* receive ended with -ENOBUFS; re-arm later */
	int eof;		/* the peer will send no more */
	int broken;		/* sending failed: drop what is queued */
	int sending;		/* a send is in flight */
	/* Received buffers waiting to go back, oldest (`head`) first,
	 * chained through the server's q_next: a connection's queue costs
	 * nothing however many buffers it may come to hold. */
	unsigned short head, tail;
	unsigned count;
	unsigned sent;		/* bytes of the head buffer sent so far */
};

struct server {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	char *bufs;		/* nbufs buffers of BUF_SIZE, back to back */
	unsigned nbufs;
	/* For a queued buffer: the next in its connection's queue, and
	 * how many bytes it holds. */
	unsigned short q_next[MAX_BUFS];
	unsigned q_len[MAX_BUFS];
	int in_ring;		/* buffers the kernel may still pick */
	int lfd;
	int accept_armed, cancel_pending, stopping, failed;
	struct conn **conns;	/* indexed by fd */
	int max_fds;
	int nconns, nstarved;
	int starved_scan;	/* the fd feed_starved looks at first */
	long closed, max_closed;
	long long echoed, rearm_nobufs, rearm_more;
};

/* The next free SQE; if the SQ is full, submit what is queued first. */
static struct io_uring_sqe *get_sqe(struct server *s)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);

	if (!sqe) {
		io_uring_submit(&s->ring);
		sqe = io_uring_get_sqe(&s->ring);
	}
	return sqe;
}

static char *buf_addr(struct server *s, unsigned short bid)
{
	return s->bufs + (size_t)bid * BUF_SIZE;
}

/* Puts buffer `bid` back in the ring for the kernel to fill again. */
static void recycle(struct server *s, unsigned short bid)
{
	io_uring_buf_ring_add(s->br, buf_addr(s, bid), BUF_SIZE, bid,
			      io_uring_buf_ring_mask(s->nbufs), 0);
	io_uring_buf_ring_advance(s->br, 1);
	s->in_ring++;
}

static void arm_accept(struct server *s)
{
	struct io_uring_sqe *sqe = get_sqe(s);

	io_uring_prep_multishot_accept(sqe, s->lfd, NULL, NULL, 0);
	io_uring_sqe_set_data64(sqe, UDATA(s->lfd, OP_ACCEPT));
	s->accept_armed = 1;
}

static void arm_recv(struct server *s, struct conn *c)
{
	struct io_uring_sqe *sqe = get_sqe(s);

	/* No buffer here: IOSQE_BUFFER_SELECT makes the kernel take one
	 * from group BGID for each completion. */
	io_uring_prep_recv_multishot(sqe, c->fd, NULL, 0, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	io_uring_sqe_set_buf_group(sqe, BGID);
	io_uring_sqe_set_data64(sqe, UDATA(c->fd, OP_RECV));
	c->recv_armed = 1;
}

/* Starts sending the oldest queued buffer, unless a send is in flight. */
static void kick_send(struct server *s, struct conn *c)
{
	struct io_uring_sqe *sqe;
	unsigned short bid;

	if (c->sending || !c->count)
		return;
	bid = c->head;
	sqe = get_sqe(s);
	/* MSG_NOSIGNAL: a peer that has gone gives -EPIPE, not SIGPIPE. */
	io_uring_prep_send(sqe, c->fd, buf_addr(s, bid) + c->sent,
			   s->q_len[bid] - c->sent, MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, UDATA(c->fd, OP_SEND));
	c->sending = 1;
}

/* Removes the oldest queued buffer and gives it back to the ring. */
static void pop_buffer(struct server *s, struct conn *c)
{
	unsigned short bid = c->head;

	c->head = s->q_next[bid];
	recycle(s, bid);
	c->count--;
	c->sent = 0;
}

static void maybe_close(struct server *s, struct conn *c);

/* Stops accepting and ends every connection; the main loop then runs
 * until their requests have all come back. */
static void begin_stop(struct server *s)
{
	if (s->stopping)
		return;
	s->stopping = 1;
	if (s->accept_armed) {
		struct io_uring_sqe *sqe = get_sqe(s);

		io_uring_prep_cancel64(sqe, UDATA(s->lfd, OP_ACCEPT), 0);
		io_uring_sqe_set_data64(sqe, UDATA(s->lfd, OP_CANCEL));
		s->cancel_pending = 1;
	}
	for (int fd = 0; fd < s->max_fds; fd++) {
		struct conn *c = s->conns[fd];

		if (!c)
			continue;
		/* In-flight receives then complete with 0, sends fail. */
		shutdown(fd, SHUT_RDWR);
		if (c->starved) {
			c->starved = 0;
			s->nstarved--;
			c->eof = 1;
			maybe_close(s, c);
		}
	}
}

/* Closes a connection once nothing of it is left in flight. */
static void maybe_close(struct server *s, struct conn *c)
{
	if (!c->eof || c->recv_armed || c->sending || (c->count && !c->broken))
		return;
	while (c->count)
		pop_buffer(s, c);
	s->conns[c->fd] = NULL;
	close(c->fd);
	free(c);
	s->nconns--;
	s->closed++;
	if (s->max_closed && s->closed >= s->max_closed)
		begin_stop(s);
}

static void on_accept(struct server *s, struct io_uring_cqe *cqe)
{
	int fd = cqe->res;

	if (!(cqe->flags & IORING_CQE_F_MORE)) {
		/* The multishot request has ended; unless we are stopping or
		 * it failed, ask for the next connections again. */
		s->accept_armed = 0;
		if (!s->stopping && fd >= 0)
			arm_accept(s);
	}
	if (fd < 0) {
		if (fd == -ECANCELED && s->stopping)
			return;
		fprintf(stderr, "echo-server: accept: %s\n", strerror(-fd));
		if (!s->accept_armed) {
			s->failed = 1;
			begin_stop(s);
		}
		return;
	}
	if (fd >= s->max_fds || s->stopping) {
		close(fd);
		return;
	}
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	/* We send each buffer as it arrives; without TCP_NODELAY the tail of
	 * a message could wait for the peer's delayed ACK. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	c->fd = fd;
	s->conns[fd] = c;
	s->nconns++;
	arm_recv(s, c);
}

static void on_recv(struct server *s, struct conn *c, struct io_uring_cqe *cqe)
{
	int res = cqe->res;

	if (cqe->flags & IORING_CQE_F_BUFFER) {
		unsigned short bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

		s->in_ring--;
		if (res > 0 && !c->broken) {
			if (c->count)
				s->q_next[c->tail] = bid;
			else
				c->head = bid;
			c->tail = bid;
			s->q_len[bid] = res;
			c->count++;
			s->echoed += res;
			kick_send(s, c);
		} else {
			recycle(s, bid);
		}
	}
	if (cqe->flags & IORING_CQE_F_MORE)
		return;

	c->recv_armed = 0;
	if (res > 0) {
		/* Data, but the kernel ended the multishot request (it may,
		 * e.g. when the CQ is full): arm it again. */
		s->rearm_more++;
		arm_recv(s, c);
	} else if (res == -ENOBUFS && !s->stopping) {
		/* Every buffer is queued for sending; the data waits in the
		 * socket until sends complete and buffers return. */
		c->starved = 1;
		s->nstarved++;
	} else {
		/* 0: the peer is done sending. Anything else (reset, our
		 * own shutdown) ends the connection as well. */
		if (res < 0 && res != -ECONNRESET && res != -ENOBUFS)
			fprintf(stderr, "echo-server: recv on fd %d: %s\n", c->fd,
				strerror(-res));
		c->eof = 1;
		maybe_close(s, c);
	}
}

static void on_send(struct server *s, struct conn *c, struct io_uring_cqe *cqe)
{
	int res = cqe->res;

	c->sending = 0;
	if (res > 0) {
		c->sent += res;
		if (c->sent == s->q_len[c->head])
			pop_buffer(s, c);
	} else if (res != -EAGAIN && res != -EINTR) {
		/* The peer has gone (-EPIPE, -ECONNRESET) or worse: drop
		 * what is queued, and shut the socket so the receive ends. */
		if (res != -EPIPE && res != -ECONNRESET)
			fprintf(stderr, "echo-server: send on fd %d: %s\n", c->fd,
				res ? strerror(-res) : "sent nothing");
		c->broken = 1;
		while (c->count)
			pop_buffer(s, c);
		shutdown(c->fd, SHUT_RDWR);
	}
	kick_send(s, c);
	maybe_close(s, c);
}

/* Re-arms the receives that ran out of buffers, now that some are back:
 * no more than there are buffers, as the rest would only run out again,
 * and going on from where the last call stopped, so that the lowest fds
 * are not always served first. */
static void feed_starved(struct server *s)
{
	int fd = s->starved_scan, budget = s->in_ring;

	for (int n = 0; n < s->max_fds && s->nstarved && budget; n++, fd = (fd + 1) % s->max_fds) {
		struct conn *c = s->conns[fd];

		if (c && c->starved) {
			c->starved = 0;
			s->nstarved--;
			s->rearm_nobufs++;
			budget--;
			arm_recv(s, c);
		}
	}
	s->starved_scan = fd;
}

static void handle(struct server *s, struct io_uring_cqe *cqe)
{
	int fd = cqe->user_data >> 8;
	struct conn *c = fd < s->max_fds ? s->conns[fd] : NULL;

	switch (cqe->user_data & 0xff) {
	case OP_ACCEPT:
		on_accept(s, cqe);
		break;
	case OP_CANCEL:
		s->cancel_pending = 0;
		break;
	case OP_RECV:
		if (c)
			on_recv(s, c, cqe);
		break;
	case OP_SEND:
		if (c)
			on_send(s, c, cqe);
		break;
	}
}

static int listen_loopback(int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(addr);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("socket");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		perror("listen on 127.0.0.1");
		close(fd);
		return -1;
	}
	printf("listening on %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	return fd;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-p port] [-n connections] [-r entries] [-b buffers]\n", argv0);
}

/* A table slot for every fd the process may open. */
static struct conn **conn_table(int *size)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur > 1 << 20)
		lim.rlim_cur = 1 << 20;
	*size = lim.rlim_cur;
	return calloc(*size, sizeof(struct conn *));
}

int main(int argc, char *argv[])
{
	static struct server srv;	/* large: keep it off the stack */
	struct server *s = &srv;
	int opt, port = 0, entries = 256, ret;

	s->nbufs = 64;
	while ((opt = getopt(argc, argv, "p:n:r:b:")) != -1) {
		switch (opt) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'n':
			s->max_closed = atol(optarg);
			break;
		case 'r':
			entries = atoi(optarg);
			break;
		case 'b':
			s->nbufs = atoi(optarg);
			break;
		default:
			usage(argv[0]);
			return 1;
		}
	}
	if (optind != argc || port < 0 || port > 65535 || s->max_closed < 0 ||
	    !s->nbufs || s->nbufs > MAX_BUFS || (s->nbufs & (s->nbufs - 1))) {
		usage(argv[0]);
		return 1;
	}

	ret = io_uring_queue_init(entries, &s->ring, 0);
	if (ret < 0) {
		fprintf(stderr, "echo-server: queue_init: %s\n", strerror(-ret));
		return 1;
	}
	s->br = io_uring_setup_buf_ring(&s->ring, s->nbufs, BGID, 0, &ret);
	s->bufs = malloc((size_t)s->nbufs * BUF_SIZE);
	s->conns = conn_table(&s->max_fds);
	if (!s->br || !s->bufs || !s->conns) {
		fprintf(stderr, "echo-server: buffers: %s\n", strerror(s->br ? ENOMEM : -ret));
		s->failed = 1;
		goto out;
	}
	for (unsigned bid = 0; bid < s->nbufs; bid++)
		recycle(s, bid);

	s->lfd = listen_loopback(port);
	if (s->lfd < 0) {
		s->failed = 1;
		goto out;
	}
	arm_accept(s);

	/* Submit what is queued, wait for at least one completion, handle
	 * every completion there is; until stopped and everything is back. */
	while (!s->stopping || s->accept_armed || s->cancel_pending || s->nconns) {
		struct io_uring_cqe *cqe;

		ret = io_uring_submit_and_wait(&s->ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "echo-server: submit: %s\n", strerror(-ret));
			s->failed = 1;
			break;
		}
		while (io_uring_peek_cqe(&s->ring, &cqe) == 0) {
			handle(s, cqe);
			io_uring_cqe_seen(&s->ring, cqe);
		}
		feed_starved(s);
	}
	fprintf(stderr, "echo-server: %ld connections, %lld bytes echoed, "
		"%lld receives re-armed after -ENOBUFS, %lld after the end of a multishot\n",
		s->closed, s->echoed, s->rearm_nobufs, s->rearm_more);
	close(s->lfd);

out:
	/* After a failure, connections may be left: close and free them. */
	for (int fd = 0; s->conns && fd < s->max_fds; fd++) {
		if (s->conns[fd]) {
			close(fd);
			free(s->conns[fd]);
		}
	}
	if (s->br)
		io_uring_free_buf_ring(&s->ring, s->br, s->nbufs, BGID);
	io_uring_queue_exit(&s->ring);
	free(s->conns);
	free(s->bufs);
	return s->failed ? 1 : 0;
}
