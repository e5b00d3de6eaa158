/* liburing-rs benchmarks. One source, built three ways by bench/run.py:
 * against our header and library, against Debian's liburing (static, inline
 * header), and against Debian's liburing.so.2 (run with and without
 * LD_PRELOAD of ours). Uses only API liburing 2.3 has.
 *
 *   uring-bench <workload> <param> <ops>
 *
 * Prints one number: nanoseconds per operation, from the fastest of ROUNDS
 * rounds of ops/ROUNDS operations each (set-up outside the timing), so a
 * burst of interference from elsewhere on a shared machine costs one round,
 * not the run. Workloads:
 *   nop <batch>          NOP round trips, `batch` per submit
 *   read <depth>         4 KiB reads of a page-cached file
 *   read-fixed <depth>   the same with registered file and buffers
 *   read-sqpoll <depth>  the same on an SQPOLL ring
 *   odirect <depth>      4 KiB O_DIRECT random reads of a file on disk
 *   pread 0              the `read` workload's reads with pread(2), no ring
 *   pingpong 0           64-byte TCP send/recv round trips on loopback
 *   pingpong-multishot 0 the same, receiving with multishot recv and a buffer ring
 *   setup <entries>      io_uring_queue_init + io_uring_queue_exit
 *   ringmem <entries>    prints the bytes of ring memory mapped (not ns)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <liburing.h>

#define ROUNDS 5
#define FILE_SIZE (64u << 20)
#define BS 4096u

static void die(const char *what, int err)
{
	fprintf(stderr, "uring-bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double bench_nop(unsigned batch, unsigned long ops)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int ret = io_uring_queue_init(batch < 8 ? 8 : batch, &ring, 0);
	if (ret)
		die("queue_init", ret);
	double t0 = now_ns();
	for (unsigned long done = 0; done < ops; done += batch) {
		for (unsigned i = 0; i < batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_nop(sqe);
			io_uring_sqe_set_data64(sqe, i);
		}
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret != (int) batch)
			die("submit_and_wait", ret);
		for (unsigned i = 0; i < batch; i++) {
			if (io_uring_peek_cqe(&ring, &cqe) || cqe->res)
				die("peek", EIO);
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	double t = now_ns() - t0;
	io_uring_queue_exit(&ring);
	return t / ops;
}

/* A file of FILE_SIZE bytes in `dir`, read once so it is in the page cache
 * (unless the caller opens it O_DIRECT). */
static int make_file(const char *dir, int flags)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/uring-bench.data", dir);
	int fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		die("open data file", errno);
	struct stat st;
	fstat(fd, &st);
	if (st.st_size != FILE_SIZE) {
		char *buf = malloc(1 << 20);
		memset(buf, 0x5a, 1 << 20);
		for (unsigned i = 0; i < FILE_SIZE >> 20; i++)
			if (write(fd, buf, 1 << 20) != 1 << 20)
				die("write data file", errno);
		free(buf);
		fsync(fd);
	}
	close(fd);
	fd = open(path, O_RDONLY | flags);
	if (fd < 0)
		die("reopen data file", errno);
	if (!(flags & O_DIRECT)) {
		char *buf = malloc(1 << 20);
		while (read(fd, buf, 1 << 20) > 0)
			;
		free(buf);
	}
	return fd;
}

enum read_mode { PLAIN, FIXED, SQPOLL, DIRECT };

/* With two CPUs or more, keeps the SQPOLL thread and this one on CPUs of
 * their own: left to the scheduler, they sometimes share one, and the run
 * measures the scheduler more than the library. */
static void pin_apart(struct io_uring_params *p)
{
	cpu_set_t set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return;
	p->flags |= IORING_SETUP_SQ_AFF;
	p->sq_thread_cpu = 1;
}

static void queue_read(struct io_uring *ring, int fd, char *bufs, unsigned slot, enum read_mode mode)
{
	struct io_uring_sqe *sqe;
	unsigned long long off = (next_rand() % (FILE_SIZE / BS)) * BS;

	/* Under SQPOLL a completion can arrive before the kernel thread has
	 * moved the SQ head past its SQE. */
	while (!(sqe = io_uring_get_sqe(ring)))
		io_uring_sqring_wait(ring);
	if (mode == FIXED) {
		io_uring_prep_read_fixed(sqe, 0, bufs + slot * BS, BS, off, slot);
		sqe->flags |= IOSQE_FIXED_FILE;
	} else {
		io_uring_prep_read(sqe, fd, bufs + slot * BS, BS, off);
	}
	io_uring_sqe_set_data64(sqe, slot);
}

static double bench_read(unsigned depth, unsigned long ops, enum read_mode mode)
{
	struct io_uring ring;
	struct io_uring_params p;
	struct io_uring_cqe *cqe;
	char *bufs;
	int ret, fd = make_file(mode == DIRECT ? "." : "/tmp", mode == DIRECT ? O_DIRECT : 0);

	memset(&p, 0, sizeof(p));
	if (mode == SQPOLL) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 1000;
		pin_apart(&p);
	}
	ret = io_uring_queue_init_params(depth, &ring, &p);
	if (ret)
		die("queue_init", ret);
	if (posix_memalign((void **) &bufs, BS, (size_t) depth * BS))
		die("posix_memalign", ENOMEM);
	if (mode == FIXED) {
		struct iovec iov[depth];
		for (unsigned i = 0; i < depth; i++) {
			iov[i].iov_base = bufs + i * BS;
			iov[i].iov_len = BS;
		}
		if ((ret = io_uring_register_buffers(&ring, iov, depth)))
			die("register_buffers", ret);
		if ((ret = io_uring_register_files(&ring, &fd, 1)))
			die("register_files", ret);
	}
	double t0 = now_ns();
	for (unsigned i = 0; i < depth; i++)
		queue_read(&ring, fd, bufs, i, mode);
	unsigned long done = 0, issued = depth;
	while (done < ops) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			die("submit_and_wait", ret);
		unsigned head, n = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			if (cqe->res != (int) BS)
				die("read", cqe->res < 0 ? cqe->res : EIO);
			n++;
			if (issued < ops) {
				queue_read(&ring, fd, bufs, (unsigned) cqe->user_data, mode);
				issued++;
			}
		}
		io_uring_cq_advance(&ring, n);
		done += n;
	}
	double t = now_ns() - t0;
	io_uring_queue_exit(&ring);
	free(bufs);
	close(fd);
	return t / ops;
}

/* The path a program takes without io_uring: the same random 4 KiB reads of
 * the page-cached file, one pread(2) at a time. */
static double bench_pread(unsigned long ops)
{
	char *buf;
	int fd = make_file("/tmp", 0);

	if (posix_memalign((void **) &buf, BS, BS))
		die("posix_memalign", ENOMEM);
	double t0 = now_ns();
	for (unsigned long i = 0; i < ops; i++)
		if (pread(fd, buf, BS, (next_rand() % (FILE_SIZE / BS)) * BS) != (ssize_t) BS)
			die("pread", errno ? errno : EIO);
	double t = now_ns() - t0;
	free(buf);
	close(fd);
	return t / ops;
}

/* The far end of the ping-pong: echoes every 64-byte message. */
static void *echo_peer(void *arg)
{
	int fd = *(int *) arg;
	char buf[64];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_WAITALL);
		if (n <= 0 || send(fd, buf, n, 0) != n)
			break;
	}
	close(fd);
	return NULL;
}

static int tcp_pair(int *peer)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int one = 1, lfd = socket(AF_INET, SOCK_STREAM, 0), fd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lfd, (struct sockaddr *) &addr, sizeof(addr)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *) &addr, &len) ||
	    connect(fd, (struct sockaddr *) &addr, sizeof(addr)))
		die("loopback socket", errno);
	*peer = accept(lfd, NULL, NULL);
	close(lfd);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

#define BR_ENTRIES 16
#define BR_GROUP 7

static double bench_pingpong(unsigned long ops, int multishot)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_buf_ring *br = NULL;
	char msg[64], bufs[BR_ENTRIES][64];
	pthread_t thread;
	int peer, fd = tcp_pair(&peer), ret;

	memset(msg, 'p', sizeof(msg));
	if ((ret = io_uring_queue_init(8, &ring, 0)))
		die("queue_init", ret);
	pthread_create(&thread, NULL, echo_peer, &peer);
	if (multishot) {
		size_t sz = BR_ENTRIES * sizeof(struct io_uring_buf);
		br = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
		struct io_uring_buf_reg reg = { .ring_addr = (unsigned long) br, .ring_entries = BR_ENTRIES, .bgid = BR_GROUP };
		if ((ret = io_uring_register_buf_ring(&ring, &reg, 0)))
			die("register_buf_ring", ret);
		io_uring_buf_ring_init(br);
		for (int i = 0; i < BR_ENTRIES; i++)
			io_uring_buf_ring_add(br, bufs[i], sizeof(bufs[i]), i, io_uring_buf_ring_mask(BR_ENTRIES), i);
		io_uring_buf_ring_advance(br, BR_ENTRIES);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
		sqe->flags |= IOSQE_BUFFER_SELECT;
		sqe->buf_group = BR_GROUP;
		io_uring_sqe_set_data64(sqe, 2);
	}
	double t0 = now_ns();
	for (unsigned long i = 0; i < ops; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		io_uring_prep_send(sqe, fd, msg, sizeof(msg), 0);
		io_uring_sqe_set_data64(sqe, 1);
		if (!multishot) {
			sqe->flags |= IOSQE_IO_LINK;
			sqe = io_uring_get_sqe(&ring);
			io_uring_prep_recv(sqe, fd, bufs[0], sizeof(msg), MSG_WAITALL);
			io_uring_sqe_set_data64(sqe, 2);
		}
		ret = io_uring_submit(&ring);
		if (ret < 0)
			die("submit", ret);
		/* Wait for the send and the (one) receive. */
		for (int got = 0; got < 2;) {
			if ((ret = io_uring_wait_cqe(&ring, &cqe)))
				die("wait_cqe", ret);
			if (cqe->res < 0)
				die(cqe->user_data == 1 ? "send" : "recv", cqe->res);
			if (cqe->user_data == 2 && multishot) {
				if (!(cqe->flags & IORING_CQE_F_MORE))
					die("multishot recv ended", EIO);
				unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
				io_uring_buf_ring_add(br, bufs[bid], sizeof(bufs[bid]), bid, io_uring_buf_ring_mask(BR_ENTRIES), 0);
				io_uring_buf_ring_advance(br, 1);
				/* A short read leaves the rest for the next CQE. */
				got += cqe->res == (int) sizeof(msg) ? 1 : 0;
			} else {
				got++;
			}
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	double t = now_ns() - t0;
	shutdown(fd, SHUT_RDWR);
	pthread_join(thread, NULL);
	io_uring_queue_exit(&ring);
	close(fd);
	return t / ops;
}

static double bench_setup(unsigned entries, unsigned long ops)
{
	struct io_uring ring;
	double t0 = now_ns();
	for (unsigned long i = 0; i < ops; i++) {
		int ret = io_uring_queue_init(entries, &ring, 0);
		if (ret)
			die("queue_init", ret);
		io_uring_queue_exit(&ring);
	}
	return (now_ns() - t0) / ops;
}

/* Bytes the kernel maps for a ring: the SQ and CQ rings and the SQEs. */
static double ring_memory(unsigned entries)
{
	struct io_uring ring;
	int ret = io_uring_queue_init(entries, &ring, 0);
	if (ret)
		die("queue_init", ret);
	size_t bytes = ring.sq.ring_sz + (size_t) ring.sq.ring_entries * sizeof(struct io_uring_sqe);
	if (ring.cq.ring_ptr != ring.sq.ring_ptr)
		bytes += ring.cq.ring_sz;
	io_uring_queue_exit(&ring);
	return bytes;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: uring-bench <workload> <param> <ops>\n");
		return 2;
	}
	const char *w = argv[1];
	unsigned param = atoi(argv[2]);
	unsigned long ops = atol(argv[3]);
	double best = 0;

	if (!strcmp(w, "ringmem")) {
		printf("%.1f\n", ring_memory(param));
		return 0;
	}
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned long n = ops / ROUNDS;
		double ns;

		if (!strcmp(w, "nop"))
			ns = bench_nop(param, n);
		else if (!strcmp(w, "read"))
			ns = bench_read(param, n, PLAIN);
		else if (!strcmp(w, "read-fixed"))
			ns = bench_read(param, n, FIXED);
		else if (!strcmp(w, "read-sqpoll"))
			ns = bench_read(param, n, SQPOLL);
		else if (!strcmp(w, "odirect"))
			ns = bench_read(param, n, DIRECT);
		else if (!strcmp(w, "pread"))
			ns = bench_pread(n);
		else if (!strcmp(w, "pingpong"))
			ns = bench_pingpong(n, 0);
		else if (!strcmp(w, "pingpong-multishot"))
			ns = bench_pingpong(n, 1);
		else if (!strcmp(w, "setup"))
			ns = bench_setup(param, n);
		else {
			fprintf(stderr, "uring-bench: unknown workload %s\n", w);
			return 2;
		}
		if (r == 0 || ns < best)
			best = ns;
	}
	printf("%.1f\n", best);
	return 0;
}
