/* SPDX-License-Identifier: MIT */
#ifndef LIBURING_VERSION_H
#define LIBURING_VERSION_H

/* liburing API level implemented by liburing-rs */
#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 15

#endif /* LIBURING_VERSION_H */
