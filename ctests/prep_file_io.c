/* File I/O preparers against a real file: write/read, vectored and
 * fixed-buffer forms, fsync, sync_file_range, fallocate, fadvise and
 * madvise, each checked by its effect on the file or memory. */
#include <sys/stat.h>
#include "prep_util.h"
#include "kernel.h"

static struct io_uring ring;
static int fd;

static void expect_bytes(off_t off, const char *want, size_t len)
{
	char buf[256];

	CHECK(len <= sizeof(buf));
	CHECK_EQ(pread(fd, buf, len, off), (ssize_t) len);
	CHECK(memcmp(buf, want, len) == 0);
}

static void plain(void)
{
	char in[32] = { 0 };

	io_uring_prep_write(sqe_of(&ring), fd, "hello, ring", 11, 0);
	CHECK_EQ(run1(&ring), 11);
	expect_bytes(0, "hello, ring", 11);

	io_uring_prep_read(sqe_of(&ring), fd, in, sizeof(in), 7);
	CHECK_EQ(run1(&ring), 4);
	CHECK(memcmp(in, "ring", 4) == 0);

	/* offset -1: the file position, which the read advances. */
	CHECK_EQ(lseek(fd, 2, SEEK_SET), 2);
	io_uring_prep_read(sqe_of(&ring), fd, in, 3, (__u64) -1);
	CHECK_EQ(run1(&ring), 3);
	CHECK(memcmp(in, "llo", 3) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);

	io_uring_prep_read(sqe_of(&ring), -1, in, 3, 0);
	CHECK_EQ(run1(&ring), -EBADF);
}

/* The generic builder makes a write from its parts. */
static void generic(void)
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe_of(&ring), fd, "raw", 3, 500);
	CHECK_EQ(run1(&ring), 3);
	expect_bytes(500, "raw", 3);
}

static void vectored(void)
{
	char a[4], b[6];
	struct iovec out[2] = { { "abcd", 4 }, { "efghij", 6 } };
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct stat st;

	io_uring_prep_writev(sqe_of(&ring), fd, out, 2, 100);
	CHECK_EQ(run1(&ring), 10);
	expect_bytes(100, "abcdefghij", 10);

	io_uring_prep_readv(sqe_of(&ring), fd, in, 2, 101);
	CHECK_EQ(run1(&ring), 9);
	CHECK(memcmp(a, "bcde", 4) == 0 && memcmp(b, "fghij", 5) == 0);

	/* RWF_APPEND reaches the kernel: the write goes to the end, not to
	 * offset 0. */
	CHECK_EQ(fstat(fd, &st), 0);
	io_uring_prep_writev2(sqe_of(&ring), fd, out, 1, 0, RWF_APPEND);
	CHECK_EQ(run1(&ring), 4);
	expect_bytes(st.st_size, "abcd", 4);
	expect_bytes(0, "hell", 4);

	/* RWF_NOWAIT where a hand-built read with it works on this file's
	 * file system (one without FMODE_NOWAIT refuses it). */
	char scratch[4];
	struct iovec raw_iov = { scratch, sizeof(scratch) };
	struct io_uring_sqe raw = { .opcode = IORING_OP_READV, .fd = fd, .addr = (__u64) (uintptr_t) &raw_iov,
				    .len = 1, .rw_flags = RWF_NOWAIT };
	if (kernel_sqe(&raw) == 0) {
		io_uring_prep_readv2(sqe_of(&ring), fd, in, 1, st.st_size, RWF_NOWAIT);
		CHECK_EQ(run1(&ring), 4);
		CHECK(memcmp(a, "abcd", 4) == 0);
	} else {
		lacks_case("RWF_NOWAIT reads on this file system");
	}

	/* An unknown RWF flag is refused, so the flags word is read. */
	io_uring_prep_readv2(sqe_of(&ring), fd, in, 1, 0, 1 << 30);
	CHECK_EQ(run1(&ring), -EOPNOTSUPP);
}

static void fixed(void)
{
	/* Anonymous memory of its own: a static buffer's first page can be
	 * the file-backed end of .data, which older kernels refuse to
	 * register, so where the linker put it decided the outcome. */
	char *mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec reg = { mem, 8192 };

	CHECK(mem != MAP_FAILED);
	if (!register_buffers(&ring, &reg, 1)) {
		munmap(mem, 8192);
		return;
	}
	memcpy(mem, "fixed-buffer", 12);
	io_uring_prep_write_fixed(sqe_of(&ring), fd, mem, 12, 300, 0);
	CHECK_EQ(run1(&ring), 12);
	expect_bytes(300, "fixed-buffer", 12);

	io_uring_prep_read_fixed(sqe_of(&ring), fd, mem + 4096, 6, 306, 0);
	CHECK_EQ(run1(&ring), 6);
	CHECK(memcmp(mem + 4096, "buffer", 6) == 0);

	/* Buffer index 1 is not registered. */
	io_uring_prep_read_fixed(sqe_of(&ring), fd, mem, 6, 0, 1);
	CHECK_EQ(run1(&ring), -EFAULT);
	CHECK_EQ(io_uring_register(ring.ring_fd, IORING_UNREGISTER_BUFFERS, NULL, 0), 0);
	munmap(mem, 8192);
}

static void sync_ops(void)
{
	io_uring_prep_fsync(sqe_of(&ring), fd, 0);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_fsync(sqe_of(&ring), fd, IORING_FSYNC_DATASYNC);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_fsync(sqe_of(&ring), fd, 1u << 7);
	CHECK_EQ(run1(&ring), -EINVAL);
	io_uring_prep_fsync(sqe_of(&ring), -1, 0);
	CHECK_EQ(run1(&ring), -EBADF);

	io_uring_prep_sync_file_range(sqe_of(&ring), fd, 4096, 0, SYNC_FILE_RANGE_WRITE);
	CHECK_EQ(run1(&ring), 0);
	io_uring_prep_sync_file_range(sqe_of(&ring), fd, 4096, 0, 1 << 10);
	CHECK_EQ(run1(&ring), -EINVAL);
}

static void allocate(void)
{
	struct stat st;

	CHECK_EQ(ftruncate(fd, 0), 0);
	io_uring_prep_fallocate(sqe_of(&ring), fd, 0, 4096, 12288);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 16384);

	io_uring_prep_fallocate(sqe_of(&ring), fd, FALLOC_FL_KEEP_SIZE, 16384, 1 << 20);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 16384);
	CHECK(st.st_blocks * 512 >= (1 << 20));
}

/* The page size: fadvise and madvise act on whole pages (16K on some arm64
 * kernels). */
static size_t pg;

/* Whether the file's first page is in the page cache. */
static int cached(void *map)
{
	unsigned char vec;

	CHECK_EQ(mincore(map, pg, &vec), 0);
	return vec & 1;
}

static void fadvise(void)
{
	static char page[64 * 1024];
	void *map;

	CHECK(pg <= sizeof(page));
	memset(page, 'f', pg);
	CHECK_EQ(pwrite(fd, page, pg, 0), (ssize_t) pg);
	CHECK_EQ(fsync(fd), 0);
	map = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED);

	/* Clean, unmapped pages are dropped by POSIX_FADV_DONTNEED, where the
	 * file system drops them for posix_fadvise(2) (not ramfs, say). */
	CHECK(cached(map));
	CHECK_EQ(posix_fadvise(fd, 0, pg, POSIX_FADV_DONTNEED), 0);
	if (cached(map)) {
		lacks_case("page cache dropped by POSIX_FADV_DONTNEED on this file system");
		munmap(map, pg);
		return;
	}
	CHECK_EQ(pread(fd, page, pg, 0), (ssize_t) pg);
	CHECK(cached(map));
	io_uring_prep_fadvise(sqe_of(&ring), fd, 0, pg, POSIX_FADV_DONTNEED);
	CHECK_EQ(run1(&ring), 0);
	CHECK(!cached(map));

	CHECK_EQ(pread(fd, page, pg, 0), (ssize_t) pg);
	CHECK(cached(map));
	io_uring_prep_fadvise64(sqe_of(&ring), fd, 0, pg, POSIX_FADV_DONTNEED);
	CHECK_EQ(run1(&ring), 0);
	CHECK(!cached(map));

	io_uring_prep_fadvise(sqe_of(&ring), fd, 0, pg, 1000);
	CHECK_EQ(run1(&ring), -EINVAL);
	munmap(map, pg);
}

static void madvise_ops(void)
{
	char *mem = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(mem != MAP_FAILED);
	/* MADV_DONTNEED on private anonymous memory zeroes it. */
	mem[0] = 'x';
	mem[pg] = 'y';
	io_uring_prep_madvise(sqe_of(&ring), mem, pg, MADV_DONTNEED);
	CHECK_EQ(run1(&ring), 0);
	CHECK_EQ(mem[0], 0);
	CHECK_EQ(mem[pg], 'y');

	/* The 64-bit length (in off) where a hand-built one works. */
	struct io_uring_sqe raw = { .opcode = IORING_OP_MADVISE, .addr = (__u64) (uintptr_t) mem,
				    .off = pg, .fadvise_advice = MADV_DONTNEED };
	if (kernel_sqe(&raw) == 0) {
		io_uring_prep_madvise64(sqe_of(&ring), mem + pg, pg, MADV_DONTNEED);
		CHECK_EQ(run1(&ring), 0);
		CHECK_EQ(mem[pg], 0);
	} else {
		lacks_case("a 64-bit length for IORING_OP_MADVISE");
	}

	io_uring_prep_madvise(sqe_of(&ring), mem, pg, 12345);
	CHECK_EQ(run1(&ring), -EINVAL);
	munmap(mem, 2 * pg);
}

int main(void)
{
	char path[128];

	pg = sysconf(_SC_PAGESIZE);
	RING_INIT(&ring, 8, 0);
	NEED_OP(IORING_OP_FADVISE);
	NEED_OP(IORING_OP_MADVISE);
	snprintf(path, sizeof(path), "%s/data", scratch_dir());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);

	plain();
	vectored();
	fixed();
	generic();
	sync_ops();
	allocate();
	fadvise();
	madvise_ops();

	close(fd);
	io_uring_queue_exit(&ring);
	return 0;
}
