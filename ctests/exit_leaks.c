/* io_uring_queue_exit leaves nothing behind: after 100 init/use/exit
 * cycles of each ring kind, this process has the same fds and the same
 * number of mappings as before. */
#include <liburing.h>
#include "helpers.h"
#include "kernel.h"

enum { CYCLES = 100 };

/* The application's ring memory: mapped afresh for each ring and unmapped
 * after its exit, as the kernel, tearing a ring down after queue_exit
 * returned, can still write its CQ tail (init_mem.c). */
enum { APP_MEM = 64 * 1024 };
static void *app_mem;

static void plain(struct io_uring *ring)
{
	CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
}

static void sqpoll(struct io_uring *ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 1 };

	CHECK_EQ(io_uring_queue_init_params(8, ring, &p), 0);
}

static void no_mmap(struct io_uring *ring)
{
	struct io_uring_params p = { 0 };

	CHECK(io_uring_queue_init_mem(8, ring, &p, NULL, 0) >= 0);
}

static void no_mmap_app_mem(struct io_uring *ring)
{
	struct io_uring_params p = { 0 };

	app_mem = mmap(NULL, APP_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(app_mem != MAP_FAILED);
	CHECK(io_uring_queue_init_mem(8, ring, &p, app_mem, APP_MEM) > 0);
}

static void registered_fd(struct io_uring *ring)
{
	CHECK_EQ(io_uring_queue_init(8, ring, 0), 0);
	CHECK_EQ(io_uring_register_ring_fd(ring), 1);
}

static void registered_fd_closed(struct io_uring *ring)
{
	registered_fd(ring);
	CHECK_EQ(io_uring_close_ring_fd(ring), 1);
}

static void registered_fd_only(struct io_uring *ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_REGISTERED_FD_ONLY | IORING_SETUP_NO_MMAP };

	CHECK(io_uring_queue_init_mem(8, ring, &p, NULL, 0) >= 0);
	CHECK_EQ(ring->ring_fd, -1);
}

static void cycle(void (*init)(struct io_uring *))
{
	struct io_uring ring;

	init(&ring);
	nop_roundtrip(&ring, 7);
	io_uring_queue_exit(&ring);
	if (app_mem) {
		CHECK_EQ(munmap(app_mem, APP_MEM), 0);
		app_mem = NULL;
	}
}

static void probe(void)
{
	struct io_uring_probe *p = io_uring_get_probe();

	CHECK(p != NULL);
	io_uring_free_probe(p);
}

int main(void)
{
	static struct {
		const char *name;
		void (*init)(struct io_uring *);
		/* What the kernel needs for this kind, learned raw. */
		unsigned setup;
		bool ring_fds;
		unsigned feature;
	} kinds[] = {
		{ "plain", plain, 0, false, 0 },
		{ "SQPOLL", sqpoll, IORING_SETUP_SQPOLL, false, 0 },
		{ "NO_MMAP", no_mmap, IORING_SETUP_NO_MMAP, false, 0 },
		{ "NO_MMAP with app memory", no_mmap_app_mem, IORING_SETUP_NO_MMAP, false, 0 },
		{ "registered ring fd", registered_fd, 0, true, 0 },
		{ "registered ring fd, plain fd closed", registered_fd_closed, 0, true, IORING_FEAT_REG_REG_RING },
		{ "REGISTERED_FD_ONLY", registered_fd_only, IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY,
		  false, 0 },
	};
	int fds, maps;

	for (unsigned k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		char what[128];

		snprintf(what, sizeof(what), "setup flags %#x (%s)", kinds[k].setup, kinds[k].name);
		if ((kinds[k].setup && !have_setup_flags(kinds[k].setup, what)) ||
		    (kinds[k].ring_fds && !have_ring_fds()) ||
		    (kinds[k].feature && !have_feature(kinds[k].feature, "IORING_FEAT_REG_REG_RING")))
			kinds[k].init = NULL;
	}

	/* Warm up, so libc's own one-time allocations are not counted. */
	for (unsigned k = 0; k < sizeof(kinds) / sizeof(*kinds); k++)
		if (kinds[k].init)
			cycle(kinds[k].init);
	probe();

	for (unsigned k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		if (!kinds[k].init)
			continue;
		fds = count_fds();
		maps = count_maps();
		for (int i = 0; i < CYCLES; i++)
			cycle(kinds[k].init);
		if (count_fds() != fds || count_maps() != maps)
			FAIL("%s: %d fds and %d mappings before, %d and %d after %d cycles",
			     kinds[k].name, fds, maps, count_fds(), count_maps(), CYCLES);
	}
	fds = count_fds();
	maps = count_maps();
	for (int i = 0; i < CYCLES; i++)
		probe();
	CHECK_EQ(count_fds(), fds);
	CHECK_EQ(count_maps(), maps);
	return 0;
}
