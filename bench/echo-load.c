/* echo-load: a load generator for echo servers (examples/echo-server,
 * bench/echo-epoll), run by bench/run.py.
 *
 *   echo-load [-c connections] [-m exchanges] [-s stall] [-t limit] -- SERVER [ARGS...]
 *
 * Starts SERVER (which prints "listening on <port>" on stdout, and exits
 * once as many connections as it was told with -n have closed), opens
 * -c connections (default 10000) to it on 127.0.0.1, has each echo one
 * message to warm up, then runs -m exchanges (default 1000000) in all:
 * every connection has one message of 16 to 64 bytes in flight, and
 * sends the next when the whole echo is back. One thread, one epoll:
 * the same client for every server.
 *
 * Every echo is compared with what was sent, byte for byte, and each
 * connection must then end with EOF and nothing more after its last echo:
 * a lost, duplicated or reordered byte fails the run.
 *
 * Prints one line on stdout:
 *   conns N exchanges M seconds S rate R p50_us A p99_us B server_cpu_us C client_cpu_us D
 * rate in exchanges per second, latency from send to the last byte of the
 * echo, CPU time (user + system, all threads) per exchange of the server
 * (from /proc/PID/stat) and of this client, over the timed exchanges only.
 *
 * Exit status: 0 ok; 1 bad usage or a failure of the client itself;
 * 2 the bytes that came back were wrong, or stopped short of a whole
 * echo for -s seconds (default 10); 3 the server failed: did not start,
 * exited, refused or closed a connection, echoed nothing for -s s, or
 * the whole run took more than -t seconds (default 0: no limit). The
 * server never outlives echo-load. Messages go to stderr, starting "echo-load:".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIN_MSG 16
#define MAX_MSG 64
#define MAX_EVENTS 512

enum { EXIT_CLIENT = 1, EXIT_BYTES = 2, EXIT_SERVER = 3 };

struct conn {
	int fd;
	uint32_t seq;		/* of the message in flight */
	unsigned len, got;	/* its size, and how much has come back */
	uint64_t sent_ns;
	unsigned char msg[MAX_MSG];
};

static pid_t server = -1;

/* Ends the run: the server is killed, as it may be waiting for ever. */
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "echo-load: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	exit(status);
}

/* -t ran out: a server that is slow but not stalled must not keep the
 * benchmark for ever. Only async-signal-safe calls here. */
static void on_alarm(int sig)
{
	static const char msg[] = "echo-load: the run took longer than its time limit (-t)\n";

	ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)sig;
	(void)ignored;
	if (server > 0)
		kill(server, SIGKILL);
	_exit(EXIT_SERVER);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Fails the run if the server has exited, or does within `wait_ms`. */
static void check_server(int wait_ms)
{
	int status;

	while (waitpid(server, &status, WNOHANG) != server) {
		if (wait_ms <= 0)
			return;
		usleep(10000);
		wait_ms -= 10;
	}
	server = -1;
	if (WIFEXITED(status))
		fail(EXIT_SERVER, "the server exited with status %d", WEXITSTATUS(status));
	fail(EXIT_SERVER, "the server was killed by signal %d", WTERMSIG(status));
}

/* Both this process and the server hold one fd per connection. */
static void raise_fd_limit(int conns)
{
	struct rlimit lim;
	rlim_t want = conns + 256;

	if (getrlimit(RLIMIT_NOFILE, &lim) < 0)
		fail(EXIT_CLIENT, "getrlimit: %s", strerror(errno));
	if (lim.rlim_max < want)
		lim.rlim_max = want;	/* root may raise the hard limit */
	lim.rlim_cur = lim.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
		fail(EXIT_CLIENT, "%d connections need %llu fds: %s", conns, (unsigned long long)want,
		     strerror(errno));
}

/* Starts the server and returns the port it says it listens on. */
static int start_server(char **argv, int stall_s)
{
	char line[128];
	int out[2], port = 0;
	struct pollfd pfd;
	FILE *f;

	if (pipe(out) < 0)
		fail(EXIT_CLIENT, "pipe: %s", strerror(errno));
	server = fork();
	if (server < 0)
		fail(EXIT_CLIENT, "fork: %s", strerror(errno));
	if (server == 0) {
		/* Should echo-load die, say killed by its caller's timeout. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "echo-load: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	pfd = (struct pollfd){ .fd = out[0], .events = POLLIN };
	f = fdopen(out[0], "r");
	/* A server that dies first closes the pipe: no line, no hang. */
	if (!f || poll(&pfd, 1, stall_s * 1000) != 1 || !fgets(line, sizeof(line), f) ||
	    sscanf(line, "listening on %d", &port) != 1) {
		check_server(1000);
		fail(EXIT_SERVER, "the server did not say which port it listens on");
	}
	fclose(f);
	return port;
}

/* Blocking connects, with a timeout: a server that stops accepting fills
 * its backlog, and then a connect would wait for minutes. */
static int connect_one(int port, int timeout_s)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { .tv_sec = timeout_s };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail(EXIT_CLIENT, "socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		check_server(100);
		fail(EXIT_SERVER, "connect: %s", strerror(errno));
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
	/* Non-blocking from now on: epoll says when to read. */
	tv.tv_sec = 0;
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Message `seq` of connection `id`: its id and number, then bytes that
 * depend on both, 16 to 64 bytes in all. */
static void make_msg(struct conn *c, uint32_t id)
{
	uint32_t x = id * 2654435761u ^ c->seq * 40503u ^ 0x9e3779b9u;

	c->len = MIN_MSG + c->seq * 7 % (MAX_MSG - MIN_MSG + 1);
	memcpy(c->msg, &id, 4);
	memcpy(c->msg + 4, &c->seq, 4);
	for (unsigned i = 8; i < c->len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		c->msg[i] = x;
	}
}

static void send_next(struct conn *c, uint32_t id)
{
	ssize_t n;

	c->seq++;
	make_msg(c, id);
	c->got = 0;
	c->sent_ns = now_ns();
	/* The socket's buffer is empty (the last echo is all back), so a
	 * message this small goes in one piece. */
	n = send(c->fd, c->msg, c->len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n != (ssize_t)c->len) {
		check_server(100);
		fail(EXIT_SERVER, "send on connection %u: %s", id, n < 0 ? strerror(errno) : "short");
	}
}

/* Reads what has come back; returns 1 once the whole echo is in. */
static int receive(struct conn *c, uint32_t id)
{
	/* Room for more than is due: extra bytes are an error we must see. */
	unsigned char buf[2 * MAX_MSG];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		check_server(100);
		fail(EXIT_SERVER, "connection %u %s after %u of %u bytes of message %u", id,
		     n ? strerror(errno) : "closed by the server", c->got, c->len, c->seq);
	}
	if (c->got + n > c->len)
		fail(EXIT_BYTES, "connection %u: %u bytes more than the %u of message %u", id,
		     (unsigned)(c->got + n - c->len), c->len, c->seq);
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] != c->msg[c->got + i])
			fail(EXIT_BYTES, "connection %u, message %u: byte %u is %#x, sent %#x", id, c->seq,
			     (unsigned)(c->got + i), buf[i], c->msg[c->got + i]);
	c->got += n;
	return c->got == c->len;
}

/* After a stall: an echo cut short means the server lost bytes; with
 * none, the server just stopped. */
static void __attribute__((noreturn)) stalled(struct conn *conns, int nconns, long done, long total, int stall_s)
{
	for (int i = 0; i < nconns; i++)
		if (conns[i].got && conns[i].got < conns[i].len)
			fail(EXIT_BYTES, "connection %d: %u of the %u bytes of message %u came back, "
			     "then nothing for %d s", i, conns[i].got, conns[i].len, conns[i].seq, stall_s);
	fail(EXIT_SERVER, "no echo for %d s (%ld of %ld exchanges done)", stall_s, done, total);
}

/* Runs `total` exchanges, one in flight per connection (or fewer, near
 * the end); records each one's latency in `lat` unless it is NULL. */
static void exchange(int ep, struct conn *conns, int nconns, long total, uint64_t *lat, int stall_s)
{
	struct epoll_event evs[MAX_EVENTS];
	long started = 0, done = 0;
	uint64_t last = now_ns();

	for (int i = 0; i < nconns && started < total; i++, started++)
		send_next(&conns[i], i);
	while (done < total) {
		int n = epoll_wait(ep, evs, MAX_EVENTS, 1000);

		if (n < 0 && errno != EINTR)
			fail(EXIT_CLIENT, "epoll_wait: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			uint32_t id = evs[i].data.u32;
			struct conn *c = &conns[id];

			if (!receive(c, id))
				continue;
			last = now_ns();
			if (lat)
				lat[done] = last - c->sent_ns;
			done++;
			if (started < total) {
				send_next(c, id);
				started++;
			}
		}
		if (n <= 0) {
			check_server(0);
			if (now_ns() - last > (uint64_t)stall_s * 1000000000)
				stalled(conns, nconns, done, total, stall_s);
		}
	}
}

/* Each connection shuts its sending side; the server must then close its
 * end with nothing more sent after the last echo. */
static void finish(struct conn *conns, int nconns, int stall_s)
{
	for (int i = 0; i < nconns; i++) {
		struct pollfd pfd = { .fd = conns[i].fd, .events = POLLIN };
		unsigned char b;
		ssize_t n;

		shutdown(pfd.fd, SHUT_WR);
		if (poll(&pfd, 1, stall_s * 1000) != 1)
			fail(EXIT_SERVER, "connection %d: not closed by the server within %d s", i, stall_s);
		n = recv(pfd.fd, &b, 1, MSG_DONTWAIT);
		if (n > 0)
			fail(EXIT_BYTES, "connection %d: bytes after its last echo", i);
		close(pfd.fd);
	}
}

/* The server's CPU time (user + system, all its threads), in ticks. */
static unsigned long long server_ticks(void)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", server);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		fail(EXIT_SERVER, "cannot read %s", path);
	fclose(f);
	/* Fields 14 and 15, counted after the command name's ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
		fail(EXIT_CLIENT, "cannot parse %s", path);
	return utime + stime;
}

static double client_cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Waits for the server to exit by itself, as -n tells it to. */
static void reap_server(int stall_s)
{
	for (int i = 0; i < stall_s * 10; i++) {
		int status;

		if (waitpid(server, &status, WNOHANG) == server) {
			server = -1;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				fail(EXIT_SERVER, "the server ended with status %#x", status);
			return;
		}
		usleep(100000);
	}
	fail(EXIT_SERVER, "the server did not exit after its connections closed");
}

int main(int argc, char *argv[])
{
	int opt, nconns = 10000, stall_s = 10, limit_s = 0, port, ep;
	long total = 1000000;
	struct conn *conns;
	uint64_t *lat, t0, t1;
	unsigned long long ticks0, ticks1;
	double cpu0, cpu1, secs;

	while ((opt = getopt(argc, argv, "+c:m:s:t:")) != -1) {
		if (opt == 'c')
			nconns = atoi(optarg);
		else if (opt == 'm')
			total = atol(optarg);
		else if (opt == 's')
			stall_s = atoi(optarg);
		else if (opt == 't')
			limit_s = atoi(optarg);
		else
			optind = argc + 1;
	}
	if (optind >= argc || nconns <= 0 || total <= 0 || stall_s <= 0 || limit_s < 0) {
		fprintf(stderr, "usage: %s [-c connections] [-m exchanges] [-s stall] [-t limit] -- SERVER [ARGS...]\n",
			argv[0]);
		return EXIT_CLIENT;
	}
	raise_fd_limit(nconns);
	conns = calloc(nconns, sizeof(*conns));
	lat = malloc(total * sizeof(*lat));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || !lat || ep < 0)
		fail(EXIT_CLIENT, "out of memory or fds");
	signal(SIGALRM, on_alarm);
	alarm(limit_s);
	port = start_server(argv + optind, stall_s);

	for (int i = 0; i < nconns; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

		conns[i].fd = connect_one(port, stall_s);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev) < 0)
			fail(EXIT_CLIENT, "epoll_ctl: %s", strerror(errno));
	}
	/* Until every connection has echoed once, some may not be accepted
	 * yet: that is setup, not the steady state we time. */
	exchange(ep, conns, nconns, nconns, NULL, stall_s);

	ticks0 = server_ticks();
	cpu0 = client_cpu_s();
	t0 = now_ns();
	exchange(ep, conns, nconns, total, lat, stall_s);
	t1 = now_ns();
	ticks1 = server_ticks();
	cpu1 = client_cpu_s();

	finish(conns, nconns, stall_s);
	reap_server(stall_s);

	qsort(lat, total, sizeof(*lat), cmp_u64);
	secs = (t1 - t0) / 1e9;
	printf("conns %d exchanges %ld seconds %.3f rate %.0f p50_us %.1f p99_us %.1f server_cpu_us %.2f "
	       "client_cpu_us %.2f\n", nconns, total, secs, total / secs, lat[total / 2] / 1e3,
	       lat[total * 99 / 100] / 1e3, (ticks1 - ticks0) * 1e6 / sysconf(_SC_CLK_TCK) / total,
	       (cpu1 - cpu0) * 1e6 / total);
	return 0;
}
