/* The `socket_diff` fuzz target: the same random program of socket
 * operations runs on a kernel ring and on a ring of the userspace engine,
 * each over socketpairs of its own (two SOCK_STREAM, a SOCK_SEQPACKET and
 * a SOCK_DGRAM). The ring works on one end of each pair; the harness, on
 * the other (the peer), writes, reads and shuts down with plain syscalls,
 * so that pending receives complete.
 *
 * The kernel completes a socket request in the task that made it ready (a
 * wakeup queues task work, which runs before the syscall that caused it
 * returns), where the engine's reactor thread does it a little later. So
 * after every step the harness waits, up to a second, until both sides are
 * in the same state: the same requests live, the same count of CQEs for
 * each, the same bytes queued in every socket, and no request left that
 * finishes by itself (a SHUTDOWN in the kernel's workers, a short linked
 * timeout that has started). Only then does the next step run, so both see
 * the same sockets. Buffers of the provided-buffer ring the CQEs named go
 * back, in the order of their IDs, at that point too.
 *
 * At the end everything left is cancelled and the CQEs of every request
 * (res, flags and the bytes received) must be the same, request by request
 * in the order each posted them: the kernel leaves open the order between
 * requests. So must what the peers read. What else the kernel leaves open
 * is kept out of the programs (see prep) or compared loosely (see
 * same_record, compare), each with its reason. SOCKET_DIFF_TRACE=1 prints
 * a program's steps and CQEs. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <liburing.h>
#include <liburing/rs.h>

#define NSOCK 4
#define MAX_TAGS 512
#define SLOT 256
/* The buffer ring (group RING_GROUP) and the PROVIDE_BUFFERS group. */
#define RING_GROUP 1
#define RING_BUFS 8
#define RING_BUF_LEN 64
#define PROV_GROUP 2
#define PROV_BUFS 16
#define PROV_BUF_LEN 32
#define MAX_RECORDS 8192
#define DATA_BYTES (1 << 20)

enum kind {
	SEND, RECV, RECV_SELECT, SENDMSG, RECVMSG, RECVMSG_SELECT, POLL, POLL_REMOVE, CANCEL, SHUTDOWN,
	LINK_TIMEOUT, PROVIDE, NOP, KINDS,
	/* The harness's own steps on the peer ends. */
	PEER_WRITE, PEER_READ, PEER_SHUTDOWN
};

/* What both sides share about a request (or a peer step): its tag. */
struct req {
	enum kind kind;
	int group;       /* the buffer group it selects from, or 0 */
	int short_timer; /* a LINK_TIMEOUT that fires within the program */
	unsigned chain;  /* tags of one chain share it; 0: none */
	int sock;        /* the socket a receive or send uses */
	int dir;         /* RECEIVES or SENDS, or 0 */
	int waits;       /* that receive or send may wait (no MSG_DONTWAIT) */
	int multishot;   /* a multishot POLL_ADD, RECV or RECVMSG */
	int on_ring;     /* it uses the ring's end of its socket */
	int hardlink;    /* IOSQE_IO_HARDLINK */
};

enum { RECEIVES = 1, SENDS };

/* One CQE (or peer step's result) and the bytes it brought. */
struct record {
	unsigned tag;
	int res;
	unsigned flags;
	unsigned data, len; /* in the side's data log */
};

struct slot {
	char buf[SLOT];
	struct msghdr msg;
	struct iovec iov[2];
};

struct side {
	struct io_uring ring;
	int r[NSOCK], p[NSOCK]; /* the ring's end, the peer's end */
	struct io_uring_buf_ring *br;
	char ring_bufs[RING_BUFS][RING_BUF_LEN];
	char prov_bufs[PROV_BUFS][PROV_BUF_LEN];
	int recycle[RING_BUFS]; /* ring buffers to give back */
	unsigned char provided[PROV_BUFS]; /* PROVIDE_BUFFERS IDs in the group */
	struct slot slots[MAX_TAGS];
	unsigned char live[MAX_TAGS];
	unsigned short ncqes[MAX_TAGS];
	struct record rec[MAX_RECORDS];
	unsigned nrec, ndata;
	char data[DATA_BYTES];
};

static struct req reqs[MAX_TAGS];

#define BUG(...) do { \
	fprintf(stderr, "socket_diff: " __VA_ARGS__); fputc('\n', stderr); abort(); \
} while (0)

static const int types[NSOCK] = { SOCK_STREAM, SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };

static void side_init(struct side *s, int emulated)
{
	int ret;

	if (emulated)
		setenv("URING_RS_EMULATE", "always", 1);
	else
		unsetenv("URING_RS_EMULATE");
	/* SUBMIT_ALL: a failed request does not end its submission, whose
	 * rest would otherwise stay in the SQ (emulate_diff checks that). */
	if (io_uring_queue_init(64, &s->ring, IORING_SETUP_SUBMIT_ALL))
		BUG("queue_init failed");
	if (io_uring_rs_is_emulated(&s->ring) != emulated)
		BUG("ring is %s", emulated ? "not emulated" : "emulated");
	for (int i = 0; i < NSOCK; i++) {
		int fds[2];

		if (socketpair(AF_UNIX, types[i] | SOCK_CLOEXEC, 0, fds))
			BUG("socketpair: %s", strerror(errno));
		s->r[i] = fds[0];
		s->p[i] = fds[1];
	}
	s->br = io_uring_setup_buf_ring(&s->ring, RING_BUFS, RING_GROUP, 0, &ret);
	if (!s->br)
		BUG("setup_buf_ring: %d", ret);
	for (int b = 0; b < RING_BUFS; b++)
		io_uring_buf_ring_add(s->br, s->ring_bufs[b], RING_BUF_LEN, b, RING_BUFS - 1, b);
	io_uring_buf_ring_advance(s->br, RING_BUFS);
	memset(s->live, 0, sizeof(s->live));
	memset(s->ncqes, 0, sizeof(s->ncqes));
	memset(s->recycle, 0, sizeof(s->recycle));
	memset(s->provided, 0, sizeof(s->provided));
	s->nrec = s->ndata = 0;
}

static void side_exit(struct side *s)
{
	io_uring_free_buf_ring(&s->ring, s->br, RING_BUFS, RING_GROUP);
	io_uring_queue_exit(&s->ring);
	for (int i = 0; i < NSOCK; i++) {
		close(s->r[i]);
		close(s->p[i]);
	}
}

static void record(struct side *s, unsigned tag, int res, unsigned flags, const char *data, unsigned len)
{
	struct record *r = &s->rec[s->nrec];

	if (s->nrec == MAX_RECORDS || s->ndata + len > DATA_BYTES)
		BUG("too many records");
	*r = (struct record) { .tag = tag, .res = res, .flags = flags, .data = s->ndata, .len = len };
	memcpy(s->data + s->ndata, data, len);
	s->ndata += len;
	s->nrec++;
}

/* The bytes `tag`'s payload holds: the same on both sides, different for
 * every request, so that misplaced bytes show. */
static void fill(char *buf, unsigned len, unsigned tag)
{
	for (unsigned i = 0; i < len; i++)
		buf[i] = (char) (tag * 31 + i * 7 + (i >> 8));
}

/* Records a CQE, with the bytes it names: those of the request's own
 * buffer, or of the provided buffer it picked (a ring buffer then goes
 * back once both sides are in step). */
static void take(struct side *s, const struct io_uring_cqe *cqe)
{
	unsigned tag = (unsigned) cqe->user_data;
	const struct req *q = &reqs[tag];
	const char *data = NULL;
	unsigned len = 0;

	if (tag == 0 || tag >= MAX_TAGS)
		BUG("CQE with user_data %llu", (unsigned long long) cqe->user_data);
	if (cqe->flags & IORING_CQE_F_BUFFER) {
		unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;

		if (q->group == RING_GROUP && bid < RING_BUFS) {
			data = s->ring_bufs[bid];
			s->recycle[bid] = 1;
		} else if (q->group == PROV_GROUP && bid < PROV_BUFS) {
			data = s->prov_bufs[bid];
			s->provided[bid] = 0;
		} else {
			BUG("tag %u: buffer %u of group %d", tag, bid, q->group);
		}
	} else if (q->kind == RECV || q->kind == RECVMSG) {
		data = s->slots[tag].buf;
	}
	if (data && cqe->res > 0)
		len = (unsigned) cqe->res < SLOT ? (unsigned) cqe->res : SLOT;
	record(s, tag, cqe->res, cqe->flags, data, len);
	if (getenv("SOCKET_DIFF_TRACE"))
		fprintf(stderr, "socket_diff: %s CQE: tag %u, res %d, flags 0x%x\n",
			io_uring_rs_is_emulated(&s->ring) ? "engine" : "kernel", tag, cqe->res, cqe->flags);
	s->ncqes[tag]++;
	if (!(cqe->flags & IORING_CQE_F_MORE))
		s->live[tag] = 0;
}

static void take_ready(struct side *s)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(&s->ring, &cqe) == 0) {
		take(s, cqe);
		io_uring_cqe_seen(&s->ring, cqe);
	}
}

/* Whether request `tag` is running on side `s`: no request before it in
 * its chain is still live (a linked timeout runs with the request it
 * guards; a timeout's own CQE may come after that of the request after
 * it). */
static int started(const struct side *s, unsigned tag)
{
	if (!reqs[tag].chain)
		return 1;
	for (unsigned t = tag - 1; t > 0 && reqs[t].chain == reqs[tag].chain; t--) {
		int guarded = reqs[tag].kind == LINK_TIMEOUT && t == tag - 1;

		if (s->live[t] && reqs[t].kind != LINK_TIMEOUT && !guarded)
			return 0;
	}
	return 1;
}

/* Whether `q` is a one-shot receive whose socket is shut down for reading:
 * where it waited, the kernel ends it with a blocking try in its workers,
 * a while after the shutdown. */
static int shut_receive(const struct side *s, const struct req *q)
{
	struct pollfd p = { .fd = s->r[q->sock], .events = POLLRDHUP };

	return q->dir == RECEIVES && q->kind != POLL && !q->multishot && poll(&p, 1, 0) == 1 &&
	       (p.revents & POLLRDHUP);
}

/* Whether a live request of `s` will finish by itself: one that waits for
 * no socket (a SHUTDOWN runs in the kernel's workers), a short linked
 * timeout or a receive on a socket shut down for reading, once started. */
static int settling(const struct side *s, unsigned ntags)
{
	for (unsigned t = 1; t < ntags; t++) {
		const struct req *q = &reqs[t];
		int waits = q->dir || q->kind == POLL || (q->kind == LINK_TIMEOUT && !q->short_timer);

		if (s->live[t] && started(s, t) && (!waits || shut_receive(s, q)))
			return 1;
	}
	return 0;
}

static int queued(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -errno : n;
}

/* Why the sides are not in the same state yet, or NULL. */
static const char *apart(const struct side *k, const struct side *e, unsigned ntags, char *why, size_t size)
{
	for (unsigned t = 1; t < ntags; t++) {
		/* A multishot poll's CQEs are counted loosely (see compare). */
		int counts = reqs[t].kind == POLL && reqs[t].multishot ? 0 : k->ncqes[t] != e->ncqes[t];

		if (k->live[t] != e->live[t] || counts) {
			snprintf(why, size, "tag %u: kernel %s with %u CQEs, engine %s with %u", t,
				 k->live[t] ? "live" : "done", k->ncqes[t], e->live[t] ? "live" : "done", e->ncqes[t]);
			return why;
		}
	}
	for (int i = 0; i < NSOCK; i++) {
		int kr = queued(k->r[i]), er = queued(e->r[i]), kp = queued(k->p[i]), ep = queued(e->p[i]);

		if (kr != er || kp != ep) {
			snprintf(why, size, "socket %d: queued kernel %d/%d, engine %d/%d", i, kr, kp, er, ep);
			return why;
		}
	}
	if (settling(k, ntags) || settling(e, ntags))
		return "a request finishes by itself";
	return NULL;
}

static void show(const char *name, const struct side *s)
{
	fprintf(stderr, "socket_diff: %s:", name);
	for (unsigned i = 0; i < s->nrec; i++)
		fprintf(stderr, " {%u, %d, 0x%x, %u bytes}", s->rec[i].tag, s->rec[i].res, s->rec[i].flags,
			s->rec[i].len);
	fputc('\n', stderr);
}

/* Waits, up to a second, for both sides to be in the same state, then
 * gives the ring buffers their CQEs named back, in the order of their IDs. */
static void sync_sides(struct side *k, struct side *e, unsigned ntags)
{
	char why[160];
	const char *diff;

	for (int tries = 0;; tries++) {
		/* Runs the kernel's task work, if any is queued. */
		io_uring_get_events(&k->ring);
		take_ready(k);
		take_ready(e);
		diff = apart(k, e, ntags, why, sizeof(why));
		if (!diff)
			break;
		if (tries == 1000) {
			show("kernel", k);
			show("engine", e);
			BUG("the sides stay apart: %s", diff);
		}
		usleep(1000);
	}
	for (struct side *s = k;; s = e) {
		int n = 0;

		for (int b = 0; b < RING_BUFS; b++) {
			if (s->recycle[b]) {
				io_uring_buf_ring_add(s->br, s->ring_bufs[b], RING_BUF_LEN, b, RING_BUFS - 1, n++);
				s->recycle[b] = 0;
			}
		}
		io_uring_buf_ring_advance(s->br, n);
		if (s == e)
			break;
	}
}

static const int recv_flags[8] = {
	0, MSG_WAITALL, MSG_PEEK, MSG_DONTWAIT, MSG_PEEK | MSG_DONTWAIT, MSG_WAITALL | MSG_DONTWAIT, 0, MSG_WAITALL,
};

/* A msghdr in `tag`'s slot whose two iovecs split its first `len` bytes. */
static struct msghdr *slot_msg(struct side *s, unsigned tag, unsigned len, unsigned split, int iovs)
{
	struct slot *sl = &s->slots[tag];

	memset(&sl->msg, 0, sizeof(sl->msg));
	split = split < len ? split : len;
	sl->iov[0] = (struct iovec) { .iov_base = sl->buf, .iov_len = iovs == 1 ? len : split };
	sl->iov[1] = (struct iovec) { .iov_base = sl->buf + split, .iov_len = len - split };
	sl->msg.msg_iov = sl->iov;
	sl->msg.msg_iovlen = iovs;
	return &sl->msg;
}

static int direction(enum kind kind)
{
	if (kind == SEND || kind == SENDMSG)
		return SENDS;
	return kind == RECV || kind == RECV_SELECT || kind == RECVMSG || kind == RECVMSG_SELECT ? RECEIVES : 0;
}

/* Whether a receive (or send) that may wait is live on socket `sock` of
 * side `s`, among the requests before `tag` outside chain `chain`. */
static int waiting_on(const struct side *s, unsigned tag, int sock, int dir, unsigned chain)
{
	for (unsigned t = 1; t < tag; t++)
		if (s->live[t] && reqs[t].dir == dir && reqs[t].sock == sock && reqs[t].waits &&
		    (!chain || reqs[t].chain != chain))
			return t;
	return 0;
}

/* Whether a live request before `tag` outside chain `chain` selects from
 * buffer group `group` and, unless the new one `follows` in its chain, is
 * a chain's later member not started yet. A chain's next member that a
 * wake-up starts runs, in the kernel, after the other requests that
 * wake-up woke (from task work queued behind theirs), in the engine maybe
 * before: which of the two takes the group's buffers is that order. */
static int group_rival(const struct side *s, unsigned tag, int group, unsigned chain, int follows)
{
	for (unsigned t = 1; t < tag; t++)
		if (s->live[t] && reqs[t].group == group && (!chain || reqs[t].chain != chain) &&
		    (follows || !started(s, t)))
			return 1;
	return 0;
}

/* The first tag of the batch being prepared. */
static unsigned batch_start;

/* Whether a cancellation of every request on socket `sock` (-1: ANY) of
 * side `s` would cancel several, one of them hard-linked: the kernel
 * cancels them in its hash order, and runs what follows them in that
 * order too. */
static int hard_cancel(const struct side *s, unsigned tag, int sock)
{
	int n = 0, hard = 0;

	for (unsigned t = 1; t < tag; t++) {
		const struct req *q = &reqs[t];

		if (s->live[t] && q->kind != LINK_TIMEOUT && started(s, t) && (sock < 0 || (q->on_ring && q->sock == sock))) {
			n++;
			hard |= q->hardlink;
		}
	}
	return n > 1 && hard;
}

/* Whether a started hard-linked request is live on side `s`. */
static int hard_live(const struct side *s, unsigned tag)
{
	for (unsigned t = 1; t < tag; t++)
		if (s->live[t] && reqs[t].hardlink && started(s, t))
			return 1;
	return 0;
}

/* Whether a cancellation after the request of these bytes in its batch
 * may find what the kernel has not finished yet (see prep): any but a NOP,
 * a LINK_TIMEOUT or a PROVIDE_BUFFERS. A multishot poll ready when armed,
 * or a request a send, receive or poll woke, completes from task work; a
 * cancellation finds what it cancels until its task work ran. */
static int unsettles(const uint8_t *op)
{
	unsigned kind = op[0] % KINDS;

	return kind != NOP && kind != LINK_TIMEOUT && kind != PROVIDE;
}

/* Request `tag` from its four bytes (kind, flags, a, b), on side `s`
 * (both sides fill reqs[tag] alike), a member of chain `chain` unless that
 * is 0. A batch is one chain, or requests with no links: the kernel runs a
 * chain's next member from task work, once the submission is done, so it
 * would run after requests submitted behind its chain where the engine
 * runs it before (links order nothing else). A multishot poll that is
 * ready when armed posts its first CQE from task work, which the kernel
 * runs once the submission returns: a cancellation submitted after it in
 * the same batch finds it busy (-EALREADY) and leaves it armed, where the
 * engine has posted that CQE already and cancels it. So does a request a
 * send in the batch woke. A request the kernel cancelled is complete only
 * once its task work ran: a second cancellation in the batch finds (and
 * counts) it again. Which the program sees is the kernel's timing, so
 * after such requests in its batch (`unsettled`), a cancellation is a NOP. `follows`: it is not its
 * chain's first; `last`: the batch's last request. */
static struct io_uring_sqe *prep(struct side *s, const uint8_t *op, unsigned tag, unsigned chain, int follows,
				 int last, int unsettled)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&s->ring);
	struct req *q = &reqs[tag];
	unsigned a = op[2], b = op[3], back = 1 + b % 8;
	int sock = a % NSOCK, fd = s->r[sock];
	char *buf = s->slots[tag].buf;
	unsigned len = 1 + b % 128;
	int busy, dontwait;

	if (!sqe)
		BUG("no SQE");
	*q = (struct req) { .kind = op[0] % KINDS, .chain = chain };
	if (unsettled && (q->kind == POLL_REMOVE || q->kind == CANCEL))
		q->kind = NOP;
	/* The kernel runs a SHUTDOWN in its workers, so it may take effect
	 * after requests submitted with it: only the last of a batch is one. */
	if (!last && q->kind == SHUTDOWN)
		q->kind = NOP;
	/* Only IDs not in the group are provided (see below). None would
	 * be a PROVIDE_BUFFERS of 0, which the kernel fails in its checks
	 * at submission, failing its whole chain, and the engine only when
	 * it runs (not fixed yet). */
	if (q->kind == PROVIDE && s->provided[a % PROV_BUFS])
		q->kind = NOP;
	if (q->kind == CANCEL && ((a >> 2) % 4 == 1 || (a >> 2) % 4 == 2) &&
	    hard_cancel(s, tag, (a >> 2) % 4 == 1 ? sock : -1))
		q->kind = NOP;
	/* What follows a cancelled hard-linked request runs, in the kernel,
	 * after the rest of the submission: only the last of a batch may
	 * cancel one. */
	if (!last && (q->kind == CANCEL || q->kind == POLL_REMOVE) && hard_live(s, tag))
		q->kind = NOP;
	/* Which of two receives waiting on one socket gets the data that
	 * comes (or which of two sends goes first once there is room) is the
	 * order of wake-ups, which the kernel leaves open: while one may
	 * wait, another does not (MSG_DONTWAIT, and no multishot). A chain's
	 * member after the first may start on a wake-up: the kernel then runs
	 * it after the other requests that wake-up woke, the engine maybe
	 * before. So such a receive, or poll of the ring's end, counts as one
	 * that waits, and none is made while another waits on its socket. */
	q->sock = sock;
	q->dir = direction(q->kind);
	if (follows && q->kind == POLL && !((a >> 2) & 1))
		q->dir = RECEIVES;
	busy = q->dir ? (int) waiting_on(s, tag, sock, q->dir, chain) : 0;
	/* One that waits from this batch may go on (a receive that got part
	 * of what MSG_WAITALL asks) in the kernel's task work after the
	 * submission, in the engine's reactor at once: none beside it. */
	if (busy && ((follows && q->dir == RECEIVES) || (unsigned) busy >= batch_start))
		q->kind = NOP, q->dir = 0, busy = 0;
	dontwait = busy ? MSG_DONTWAIT : 0;
	if ((q->kind == RECV_SELECT || q->kind == RECVMSG_SELECT) &&
	    group_rival(s, tag, (a >> 2) & 1 ? PROV_GROUP : RING_GROUP, chain, follows))
		q->kind = NOP, q->dir = 0;
	switch (q->kind) {
	case SEND:
		fill(buf, len, tag);
		io_uring_prep_send(sqe, fd, buf, len, (recv_flags[(a >> 2) & 7] & ~MSG_PEEK) | dontwait);
		break;
	case RECV:
		io_uring_prep_recv(sqe, fd, buf, len, recv_flags[(a >> 2) & 7] | dontwait);
		break;
	case RECV_SELECT:
		q->group = (a >> 2) & 1 ? PROV_GROUP : RING_GROUP;
		q->multishot = (a >> 3) & 1 && !busy;
		if (q->multishot)
			io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
		else
			io_uring_prep_recv(sqe, fd, NULL, b % 3 ? 0 : b % 64,
					   (recv_flags[(a >> 4) & 7] & ~MSG_WAITALL) | dontwait);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = q->group;
		break;
	case SENDMSG:
		fill(buf, len, tag);
		io_uring_prep_sendmsg(sqe, fd, slot_msg(s, tag, len, a, 2),
				      (recv_flags[(a >> 2) & 7] & ~MSG_PEEK) | dontwait);
		break;
	case RECVMSG:
		io_uring_prep_recvmsg(sqe, fd, slot_msg(s, tag, len, a, 2), recv_flags[(a >> 2) & 7] | dontwait);
		break;
	case RECVMSG_SELECT:
		q->group = (a >> 2) & 1 ? PROV_GROUP : RING_GROUP;
		q->multishot = (a >> 3) & 1 && !busy;
		if (q->multishot)
			io_uring_prep_recvmsg_multishot(sqe, fd, slot_msg(s, tag, 0, 0, 0), 0);
		else
			io_uring_prep_recvmsg(sqe, fd, slot_msg(s, tag, b % 64, 0, 1), dontwait);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = q->group;
		break;
	case POLL: {
		static const unsigned masks[4] = { POLLIN, POLLOUT, POLLIN | POLLOUT, POLLIN | POLLRDHUP };

		fd = (a >> 2) & 1 ? s->p[sock] : fd;
		q->multishot = (a >> 3) & 1;
		if (q->multishot)
			io_uring_prep_poll_multishot(sqe, fd, masks[b % 4]);
		else
			io_uring_prep_poll_add(sqe, fd, masks[b % 4]);
		break;
	}
	case POLL_REMOVE:
		io_uring_prep_poll_remove(sqe, tag > back ? tag - back : 0);
		break;
	case CANCEL:
		/* Which of several requests a cancellation by fd or of ANY
		 * picks is the kernel's hash order: these cancel them ALL. */
		switch ((a >> 2) % 4) {
		case 0:
			io_uring_prep_cancel64(sqe, tag > back ? tag - back : 0, 0);
			break;
		case 1:
			io_uring_prep_cancel_fd(sqe, fd, IORING_ASYNC_CANCEL_ALL);
			break;
		case 2:
			io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
			break;
		default:
			io_uring_prep_cancel64(sqe, tag > back ? tag - back : 0, IORING_ASYNC_CANCEL_ALL);
			break;
		}
		break;
	case SHUTDOWN:
		/* A receive on a datagram socket shut down for reading says
		 * -EAGAIN to the kernel's first try, which then finishes it in
		 * its workers, with what is linked behind it (see same_record):
		 * engine.c checks those; here a datagram socket keeps reading. */
		io_uring_prep_shutdown(sqe, fd, types[sock] == SOCK_DGRAM ? SHUT_WR : (int) (b % 3));
		break;
	case LINK_TIMEOUT: {
		/* Short: fires soon, while the harness waits for it (see
		 * settling). Long: never within a program. */
		static struct __kernel_timespec soon = { .tv_nsec = 1000 * 1000 }, never = { .tv_sec = 100 };

		q->short_timer = b & 1;
		io_uring_prep_link_timeout(sqe, q->short_timer ? &soon : &never, 0);
		break;
	}
	case PROVIDE: {
		/* Only IDs not in the group: a buffer given twice could be
		 * filled again before the CQE of its first use is taken. */
		unsigned first = a % PROV_BUFS, n = 0, most = 1 + b % (PROV_BUFS - first);

		while (n < most && !s->provided[first + n])
			s->provided[first + n++] = 1;
		io_uring_prep_provide_buffers(sqe, s->prov_bufs[first], PROV_BUF_LEN, n, PROV_GROUP, first);
		break;
	}
	default:
		io_uring_prep_nop(sqe);
		break;
	}
	/* A link left open at the end of a submission sends its chain to the
	 * kernel's workers, where a cancel interrupts a blocked receive
	 * (-EINTR, the cancel counting none) instead of cancelling it: that is
	 * the kernel's choice of thread, which the engine need not copy. */
	if (chain && !last)
		sqe->flags |= op[1] & IOSQE_IO_HARDLINK ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK;
	q->waits = q->kind == POLL ? q->dir != 0 : q->dir && !(sqe->msg_flags & MSG_DONTWAIT);
	q->on_ring = sqe->fd == s->r[sock];
	q->hardlink = !!(sqe->flags & IOSQE_IO_HARDLINK);
	sqe->user_data = tag;
	s->live[tag] = 1;
	return sqe;
}

/* With SOCKET_DIFF_TRACE set, says what a step does (to read a failure). */
static void trace_sqe(const struct side *s, const struct io_uring_sqe *sqe)
{
	int sock = -1;

	if (!getenv("SOCKET_DIFF_TRACE"))
		return;
	for (int i = 0; i < NSOCK; i++)
		sock = sqe->fd == s->r[i] ? i : sqe->fd == s->p[i] ? i + 100 : sock;
	fprintf(stderr, "socket_diff: tag %llu: opcode %u, socket %d (100+: peer end), flags 0x%x, len %u, "
		"op_flags 0x%x, ioprio 0x%x, group %u, addr 0x%llx\n", (unsigned long long) sqe->user_data, sqe->opcode,
		sock, sqe->flags, sqe->len, sqe->msg_flags, sqe->ioprio, sqe->buf_group, (unsigned long long) sqe->addr);
}

/* A step of the harness on peer end `sock`: writes `len` bytes, reads up
 * to `len` or shuts down its writing half. */
static void peer(struct side *s, enum kind kind, int sock, unsigned len, unsigned tag)
{
	char buf[SLOT];
	ssize_t n;

	switch (kind) {
	case PEER_WRITE:
		fill(buf, len, tag);
		n = send(s->p[sock], buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		record(s, tag, n < 0 ? -errno : (int) n, 0, NULL, 0);
		break;
	case PEER_READ:
		n = recv(s->p[sock], buf, len, MSG_DONTWAIT);
		record(s, tag, n < 0 ? -errno : (int) n, 0, buf, n > 0 ? (unsigned) n : 0);
		break;
	default:
		record(s, tag, shutdown(s->p[sock], SHUT_WR) ? -errno : 0, 0, NULL, 0);
		break;
	}
}

static int by_tag(const void *x, const void *y)
{
	const struct record *a = x, *b = y;

	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	/* Records are in a side's log in the order each request posted. */
	return a < b ? -1 : a > b;
}

/* Whether two records of a request say the same. A poll woken by an event
 * reports, in the kernel, the event the wake-up named (POLLIN for data
 * that came), where the engine, which sees readiness through epoll,
 * reports every requested event that holds (POLLIN and a POLLOUT that
 * held all along): the engine's mask must hold the kernel's. */
static int same_record(const struct side *k, const struct record *a, const struct side *e, const struct record *b)
{
	int masks = reqs[a->tag].kind == POLL && a->res > 0 && b->res > 0;
	int res = masks ? (a->res & b->res) == a->res : a->res == b->res;

	/* A request linked behind one the kernel ran in its workers (a
	 * receive on a socket shut down for reading) runs there too, and a
	 * cancellation interrupts it (-EINTR) as it blocks, finding it busy
	 * (-EALREADY), where the engine waits in its reactor and cancels it. */
	res |= a->res == -EINTR && b->res == -ECANCELED;
	res |= reqs[a->tag].kind == CANCEL && a->res == -EALREADY && b->res == 0;
	return a->tag == b->tag && res && a->flags == b->flags && a->len == b->len &&
	       !memcmp(k->data + a->data, e->data + b->data, a->len);
}

/* Compares both sides' records, request by request. */
static void compare(struct side *k, struct side *e)
{
	unsigned i = 0, j = 0;

	qsort(k->rec, k->nrec, sizeof(k->rec[0]), by_tag);
	qsort(e->rec, e->nrec, sizeof(e->rec[0]), by_tag);
	while (i < k->nrec || j < e->nrec) {
		unsigned tag = i < k->nrec ? k->rec[i].tag : e->rec[j].tag, n = 0, m = 0;

		while (i + n < k->nrec && k->rec[i + n].tag == tag)
			n++;
		while (j + m < e->nrec && e->rec[j + m].tag == tag)
			m++;
		/* A multishot poll: the kernel posts a CQE for every wake-up
		 * that finds an event (looking again when the wake-up named
		 * none); wake-ups that come before the reactor runs it give the
		 * engine one, and epoll reports none once another request took
		 * the data. They must end alike. */
		if (reqs[tag].kind == POLL && reqs[tag].multishot) {
			int kend = n > 0 && !(k->rec[i + n - 1].flags & IORING_CQE_F_MORE);
			int eend = m > 0 && !(e->rec[j + m - 1].flags & IORING_CQE_F_MORE);

			if (kend == eend) {
				i += n - kend, j += m - eend;
				n = m = kend;
			}
		}
		for (unsigned x = 0; x < n || x < m; x++) {
			const struct record *a = &k->rec[i + x], *b = &e->rec[j + x];

			if (x < n && x < m && same_record(k, a, e, b))
				continue;
			show("kernel", k);
			show("engine", e);
			if (x < n && x < m && a->len == b->len)
				for (unsigned y = 0; y < a->len; y++)
					fprintf(stderr, "%s%02x/%02x", y ? " " : "socket_diff: bytes (kernel/engine): ",
						(uint8_t) k->data[a->data + y], (uint8_t) e->data[b->data + y]);
			fputc('\n', stderr);
			if (x < n && x < m)
				BUG("tag %u (kind %d): kernel {%d, 0x%x, %u bytes}, engine {%d, 0x%x, %u bytes}", tag,
				    reqs[tag].kind, a->res, a->flags, a->len, b->res, b->flags, b->len);
			BUG("tag %u (kind %d): kernel %u records, engine %u", tag, reqs[tag].kind, n, m);
		}
		i += n, j += m;
	}
}

/* Cancels what is left, a request at a time, on both sides alike (one
 * cancellation of all would cancel in the kernel's hash order, and start
 * what is hard-linked to them in that order). */
static void finish(struct side *k, struct side *e, unsigned *tag)
{
	struct side *sides[2] = { k, e };

	for (unsigned t = 1; t < *tag && *tag < MAX_TAGS; t++) {
		if (!k->live[t] || reqs[t].kind == LINK_TIMEOUT || !started(k, t))
			continue;
		for (int i = 0; i < 2; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&sides[i]->ring);
			int ret;

			io_uring_prep_cancel64(sqe, t, 0);
			sqe->user_data = *tag;
			sides[i]->live[*tag] = 1;
			reqs[*tag] = (struct req) { .kind = CANCEL };
			ret = io_uring_submit(&sides[i]->ring);
			if (ret != 1)
				BUG("final cancel: submit gave %d", ret);
		}
		++*tag;
		sync_sides(k, e, *tag);
		/* What it cancelled may have started requests linked to it. */
		t = 0;
	}
}

void fuzz_socket_diff(const uint8_t *data, size_t len)
{
	static struct side k, e;
	unsigned tag = 1, chain = 0;

	side_init(&k, 0);
	side_init(&e, 1);
	/* Room for the longest step and the final cancellations. */
	while (len > 0 && tag + 64 < MAX_TAGS) {
		unsigned step = data[0];

		data++, len--;
		if (step % 4 == 0) {
			/* The peer's step: what, on which socket, how many bytes. */
			if (len < 2)
				break;
			enum kind kind = data[0] % 8 < 5 ? PEER_WRITE : data[0] % 8 < 7 ? PEER_READ : PEER_SHUTDOWN;

			reqs[tag] = (struct req) { .kind = kind };
			if (getenv("SOCKET_DIFF_TRACE"))
				fprintf(stderr, "socket_diff: tag %u: peer %s, socket %d, %u bytes\n", tag,
					kind == PEER_WRITE ? "write" : kind == PEER_READ ? "read" : "shutdown",
					(data[0] >> 3) % NSOCK, 1 + data[1] % 200);
			peer(&k, kind, (data[0] >> 3) % NSOCK, 1 + data[1] % 200, tag);
			peer(&e, kind, (data[0] >> 3) % NSOCK, 1 + data[1] % 200, tag);
			data += 2, len -= 2, tag++;
		} else {
			unsigned n = (step >> 2) % 4 + 1;
			int sk, se, unsettled = 0;

			if (len < 4 * n)
				break;
			if (step & 16)
				chain++;
			batch_start = tag;
			for (unsigned i = 0; i < n; i++, tag++) {
				unsigned c = step & 16 ? chain : 0;

				trace_sqe(&k, prep(&k, data + 4 * i, tag, c, c && i > 0, i == n - 1, unsettled));
				prep(&e, data + 4 * i, tag, c, c && i > 0, i == n - 1, unsettled);
				unsettled |= unsettles(data + 4 * i);
			}
			data += 4 * n, len -= 4 * n;
			sk = io_uring_submit(&k.ring);
			se = io_uring_submit(&e.ring);
			if (sk != (int) n || se != (int) n)
				BUG("submit of %u: kernel %d, engine %d", n, sk, se);
		}
		sync_sides(&k, &e, tag);
	}
	finish(&k, &e, &tag);
	compare(&k, &e);
	side_exit(&k);
	side_exit(&e);
}
