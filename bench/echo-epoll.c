/* echo-epoll: examples/echo-server written the way a program without
 * io_uring would: non-blocking sockets and one level-triggered epoll. The
 * load benchmark (bench/echo-load.c) compares the two.
 *
 *   echo-epoll [-p port] [-n connections]
 *
 * Same options and output as echo-server: -p the port (0: the kernel
 * picks), "listening on <port>" once ready; -n exit 0 once this many
 * connections have closed (0: never).
 *
 * Each connection reads into a buffer of its own, writes it back, and
 * reads again only once all of it has gone: bytes go back in order, and a
 * peer that does not read its echoes is not read from either.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE (8 * 1024)
#define MAX_EVENTS 256

struct conn {
	int fd;
	size_t len, off;	/* buf[off..len) is still to be written */
	char buf[BUF_SIZE];
};

struct server {
	int epfd, lfd;
	struct conn **conns;	/* indexed by fd */
	int max_fds;
	long closed, max_closed;
	long long echoed;
};

/* What a connection waits for: room to write while it has bytes to write,
 * else more to read. */
static int watch(struct server *s, struct conn *c, int op)
{
	struct epoll_event ev = {
		.events = c->off < c->len ? EPOLLOUT : EPOLLIN,
		.data.fd = c->fd,
	};

	return epoll_ctl(s->epfd, op, c->fd, &ev);
}

static void drop(struct server *s, struct conn *c)
{
	s->conns[c->fd] = NULL;
	close(c->fd);		/* also takes it out of the epoll set */
	free(c);
	s->closed++;
}

static void on_accept(struct server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				perror("echo-epoll: accept");
			return;
		}
		c = fd < s->max_fds ? calloc(1, sizeof(*c)) : NULL;
		if (!c) {
			close(fd);
			continue;
		}
		/* As echo-server: each read is written back at once, so do not
		 * let the tail of a message wait for the peer's delayed ACK. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
		c->fd = fd;
		s->conns[fd] = c;
		if (watch(s, c, EPOLL_CTL_ADD) < 0) {
			perror("echo-epoll: epoll_ctl");
			drop(s, c);
		}
	}
}

/* Writes what is pending; returns -1 if the connection has failed. */
static int flush(struct server *s, struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->off += n;
		s->echoed += n;
	}
	c->off = c->len = 0;
	return 0;
}

/* One readiness event: read once, write back what was read. */
static void on_ready(struct server *s, struct conn *c)
{
	int was_writing = c->off < c->len;

	if (!was_writing) {
		ssize_t n = recv(c->fd, c->buf, BUF_SIZE, 0);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			drop(s, c);	/* the peer is done, or gone */
			return;
		}
		c->len = n > 0 ? n : 0;
	}
	if (flush(s, c) < 0) {
		drop(s, c);
		return;
	}
	/* Switch between reading and writing only when that changes. */
	if (was_writing != (c->off < c->len) && watch(s, c, EPOLL_CTL_MOD) < 0) {
		perror("echo-epoll: epoll_ctl");
		drop(s, c);
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
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		perror("echo-epoll: listen on 127.0.0.1");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	printf("listening on %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	return fd;
}

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-p port] [-n connections]\n", argv0);
	return 1;
}

int main(int argc, char *argv[])
{
	struct server srv = { 0 }, *s = &srv;
	struct epoll_event evs[MAX_EVENTS];
	struct rlimit lim;
	int opt, port = 0;

	while ((opt = getopt(argc, argv, "p:n:")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'n')
			s->max_closed = atol(optarg);
		else
			return usage(argv[0]);
	}
	if (optind != argc || port < 0 || port > 65535 || s->max_closed < 0)
		return usage(argv[0]);

	/* A table slot for every fd the process may open. */
	if (getrlimit(RLIMIT_NOFILE, &lim) < 0 || lim.rlim_cur > 1 << 20)
		lim.rlim_cur = 1 << 20;
	s->max_fds = lim.rlim_cur;
	s->conns = calloc(s->max_fds, sizeof(*s->conns));
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->lfd = listen_loopback(port);
	if (!s->conns || s->epfd < 0 || s->lfd < 0 ||
	    epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lfd, &(struct epoll_event){ .events = EPOLLIN,
									     .data.fd = s->lfd }) < 0) {
		perror("echo-epoll: setup");
		return 1;
	}

	while (!s->max_closed || s->closed < s->max_closed) {
		int n = epoll_wait(s->epfd, evs, MAX_EVENTS, -1);

		if (n < 0 && errno != EINTR) {
			perror("echo-epoll: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == s->lfd)
				on_accept(s);
			else if (s->conns[fd])
				on_ready(s, s->conns[fd]);
		}
	}
	fprintf(stderr, "echo-epoll: %ld connections, %lld bytes echoed\n", s->closed, s->echoed);
	return 0;
}
