/* The library says it is liburing 2.15, at compile time (header macros) and
 * at run time (the loaded library), and both agree. */
#include <liburing.h>
#include "helpers.h"

#if IO_URING_VERSION_MAJOR != 2 || IO_URING_VERSION_MINOR != 15
#error "the header must say liburing 2.15"
#endif
#if IO_URING_CHECK_VERSION(2, 15) || !IO_URING_CHECK_VERSION(2, 16)
#error "IO_URING_CHECK_VERSION must be true only for versions above 2.15"
#endif

int main(void)
{
	CHECK_EQ(io_uring_major_version(), 2);
	CHECK_EQ(io_uring_minor_version(), 15);
	CHECK_EQ(io_uring_major_version(), IO_URING_VERSION_MAJOR);
	CHECK_EQ(io_uring_minor_version(), IO_URING_VERSION_MINOR);

	/* True when the library is older than the version asked for. */
	CHECK(!io_uring_check_version(2, 15));
	CHECK(!io_uring_check_version(2, 0));
	CHECK(!io_uring_check_version(1, 99));
	CHECK(!io_uring_check_version(0, 0));
	CHECK(io_uring_check_version(2, 16));
	CHECK(io_uring_check_version(3, 0));
	CHECK(io_uring_check_version(INT32_MAX, 0));

	CHECK(!IO_URING_CHECK_VERSION(2, 15));
	CHECK(!IO_URING_CHECK_VERSION(2, 14));
	CHECK(!IO_URING_CHECK_VERSION(1, 20));
	CHECK(IO_URING_CHECK_VERSION(2, 16));
	CHECK(IO_URING_CHECK_VERSION(3, 0));
	for (int major = 0; major < 4; major++)
		for (int minor = 0; minor < 20; minor++)
			CHECK_EQ(io_uring_check_version(major, minor), IO_URING_CHECK_VERSION(major, minor));
	return 0;
}
