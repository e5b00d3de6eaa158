/* The library's version, which Cargo.toml alone sets, is the same at
 * compile time (the header's macros, generated from it) and at run time
 * (the loaded library), and IO_URING_CHECK_VERSION and
 * io_uring_check_version agree on what is older than it. */
#include <liburing.h>
#include "helpers.h"

#define MAJOR IO_URING_VERSION_MAJOR
#define MINOR IO_URING_VERSION_MINOR

#if MAJOR < 2
#error "liburing's API level is 2.x or later"
#endif
#if IO_URING_CHECK_VERSION(MAJOR, MINOR) || !IO_URING_CHECK_VERSION(MAJOR, MINOR + 1)
#error "IO_URING_CHECK_VERSION must be true only for versions above the header's"
#endif

int main(void)
{
	CHECK_EQ(io_uring_major_version(), MAJOR);
	CHECK_EQ(io_uring_minor_version(), MINOR);

	/* True when the library is older than the version asked for. */
	CHECK(!io_uring_check_version(MAJOR, MINOR));
	CHECK(!io_uring_check_version(MAJOR, 0));
	CHECK(!io_uring_check_version(MAJOR - 1, 99));
	CHECK(!io_uring_check_version(0, 0));
	CHECK(io_uring_check_version(MAJOR, MINOR + 1));
	CHECK(io_uring_check_version(MAJOR + 1, 0));
	CHECK(io_uring_check_version(INT32_MAX, 0));

	CHECK(!IO_URING_CHECK_VERSION(MAJOR, MINOR));
	CHECK(!IO_URING_CHECK_VERSION(MAJOR - 1, MINOR + 5));
	CHECK(IO_URING_CHECK_VERSION(MAJOR, MINOR + 1));
	CHECK(IO_URING_CHECK_VERSION(MAJOR + 1, 0));
	for (int major = 0; major <= MAJOR + 1; major++)
		for (int minor = 0; minor <= MINOR + 4; minor++)
			CHECK_EQ(io_uring_check_version(major, minor), IO_URING_CHECK_VERSION(major, minor));
	return 0;
}
