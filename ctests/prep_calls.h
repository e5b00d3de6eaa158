/* Every SQE preparer and SQE field setter, as an X-macro list, so one list
 * serves the bad-input test (NULL SQE, NULL pointers) and the preparer fuzz
 * target (random arguments, compared with upstream's inline versions).
 *
 * X(short_name, sqe_bytes, call): `call` uses `s` for the SQE and, for the
 * k-th argument after it, N(k - 1) when it is a number or P(k - 1) when it
 * is a pointer; the including file defines N, P and s. sqe_bytes is 128 for
 * the preparers that need a 128-byte SQE. */
#ifndef CTESTS_PREP_CALLS_H
#define CTESTS_PREP_CALLS_H

#define PREP_CALLS(X) \
	X(prep_rw, 64, io_uring_prep_rw(N(0), s, N(1), P(2), N(3), N(4))) \
	X(prep_nop, 64, io_uring_prep_nop(s)) \
	X(prep_nop128, 128, io_uring_prep_nop128(s)) \
	X(prep_provide_buffers, 64, io_uring_prep_provide_buffers(s, P(0), N(1), N(2), N(3), N(4))) \
	X(prep_remove_buffers, 64, io_uring_prep_remove_buffers(s, N(0), N(1))) \
	X(prep_uring_cmd, 64, io_uring_prep_uring_cmd(s, N(0), N(1))) \
	X(prep_uring_cmd128, 128, io_uring_prep_uring_cmd128(s, N(0), N(1))) \
	X(prep_cmd_sock, 64, io_uring_prep_cmd_sock(s, N(0), N(1), N(2), N(3), P(4), N(5))) \
	X(prep_cmd_getsockname, 64, io_uring_prep_cmd_getsockname(s, N(0), P(1), P(2), N(3))) \
	X(prep_cmd_discard, 64, io_uring_prep_cmd_discard(s, N(0), N(1), N(2))) \
	X(prep_cmd_zone_reset_all, 64, io_uring_prep_cmd_zone_reset_all(s, N(0))) \
	X(prep_fsync, 64, io_uring_prep_fsync(s, N(0), N(1))) \
	X(prep_sync_file_range, 64, io_uring_prep_sync_file_range(s, N(0), N(1), N(2), N(3))) \
	X(prep_fallocate, 64, io_uring_prep_fallocate(s, N(0), N(1), N(2), N(3))) \
	X(prep_ftruncate, 64, io_uring_prep_ftruncate(s, N(0), N(1))) \
	X(prep_fadvise, 64, io_uring_prep_fadvise(s, N(0), N(1), N(2), N(3))) \
	X(prep_fadvise64, 64, io_uring_prep_fadvise64(s, N(0), N(1), N(2), N(3))) \
	X(prep_madvise, 64, io_uring_prep_madvise(s, P(0), N(1), N(2))) \
	X(prep_madvise64, 64, io_uring_prep_madvise64(s, P(0), N(1), N(2))) \
	X(prep_openat, 64, io_uring_prep_openat(s, N(0), P(1), N(2), N(3))) \
	X(prep_openat_direct, 64, io_uring_prep_openat_direct(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_open, 64, io_uring_prep_open(s, P(0), N(1), N(2))) \
	X(prep_open_direct, 64, io_uring_prep_open_direct(s, P(0), N(1), N(2), N(3))) \
	X(prep_openat2, 64, io_uring_prep_openat2(s, N(0), P(1), P(2))) \
	X(prep_openat2_direct, 64, io_uring_prep_openat2_direct(s, N(0), P(1), P(2), N(3))) \
	X(prep_close, 64, io_uring_prep_close(s, N(0))) \
	X(prep_close_direct, 64, io_uring_prep_close_direct(s, N(0))) \
	X(prep_statx, 64, io_uring_prep_statx(s, N(0), P(1), N(2), N(3), P(4))) \
	X(prep_renameat, 64, io_uring_prep_renameat(s, N(0), P(1), N(2), P(3), N(4))) \
	X(prep_rename, 64, io_uring_prep_rename(s, P(0), P(1))) \
	X(prep_unlinkat, 64, io_uring_prep_unlinkat(s, N(0), P(1), N(2))) \
	X(prep_unlink, 64, io_uring_prep_unlink(s, P(0), N(1))) \
	X(prep_mkdirat, 64, io_uring_prep_mkdirat(s, N(0), P(1), N(2))) \
	X(prep_mkdir, 64, io_uring_prep_mkdir(s, P(0), N(1))) \
	X(prep_symlinkat, 64, io_uring_prep_symlinkat(s, P(0), N(1), P(2))) \
	X(prep_symlink, 64, io_uring_prep_symlink(s, P(0), P(1))) \
	X(prep_linkat, 64, io_uring_prep_linkat(s, N(0), P(1), N(2), P(3), N(4))) \
	X(prep_link, 64, io_uring_prep_link(s, P(0), P(1), N(2))) \
	X(prep_files_update, 64, io_uring_prep_files_update(s, P(0), N(1), N(2))) \
	X(prep_fixed_fd_install, 64, io_uring_prep_fixed_fd_install(s, N(0), N(1))) \
	X(prep_msg_ring, 64, io_uring_prep_msg_ring(s, N(0), N(1), N(2), N(3))) \
	X(prep_msg_ring_cqe_flags, 64, io_uring_prep_msg_ring_cqe_flags(s, N(0), N(1), N(2), N(3), N(4))) \
	X(prep_msg_ring_fd, 64, io_uring_prep_msg_ring_fd(s, N(0), N(1), N(2), N(3), N(4))) \
	X(prep_msg_ring_fd_alloc, 64, io_uring_prep_msg_ring_fd_alloc(s, N(0), N(1), N(2), N(3))) \
	X(prep_socket, 64, io_uring_prep_socket(s, N(0), N(1), N(2), N(3))) \
	X(prep_socket_direct, 64, io_uring_prep_socket_direct(s, N(0), N(1), N(2), N(3), N(4))) \
	X(prep_socket_direct_alloc, 64, io_uring_prep_socket_direct_alloc(s, N(0), N(1), N(2), N(3))) \
	X(prep_bind, 64, io_uring_prep_bind(s, N(0), P(1), N(2))) \
	X(prep_listen, 64, io_uring_prep_listen(s, N(0), N(1))) \
	X(prep_connect, 64, io_uring_prep_connect(s, N(0), P(1), N(2))) \
	X(prep_accept, 64, io_uring_prep_accept(s, N(0), P(1), P(2), N(3))) \
	X(prep_accept_direct, 64, io_uring_prep_accept_direct(s, N(0), P(1), P(2), N(3), N(4))) \
	X(prep_multishot_accept, 64, io_uring_prep_multishot_accept(s, N(0), P(1), P(2), N(3))) \
	X(prep_multishot_accept_direct, 64, io_uring_prep_multishot_accept_direct(s, N(0), P(1), P(2), N(3))) \
	X(prep_shutdown, 64, io_uring_prep_shutdown(s, N(0), N(1))) \
	X(prep_splice, 64, io_uring_prep_splice(s, N(0), N(1), N(2), N(3), N(4), N(5))) \
	X(prep_tee, 64, io_uring_prep_tee(s, N(0), N(1), N(2), N(3))) \
	X(prep_pipe, 64, io_uring_prep_pipe(s, P(0), N(1))) \
	X(prep_pipe_direct, 64, io_uring_prep_pipe_direct(s, P(0), N(1), N(2))) \
	X(prep_poll_add, 64, io_uring_prep_poll_add(s, N(0), N(1))) \
	X(prep_poll_multishot, 64, io_uring_prep_poll_multishot(s, N(0), N(1))) \
	X(prep_poll_remove, 64, io_uring_prep_poll_remove(s, N(0))) \
	X(prep_poll_update, 64, io_uring_prep_poll_update(s, N(0), N(1), N(2), N(3))) \
	X(prep_epoll_ctl, 64, io_uring_prep_epoll_ctl(s, N(0), N(1), N(2), P(3))) \
	X(prep_epoll_wait, 64, io_uring_prep_epoll_wait(s, N(0), P(1), N(2), N(3))) \
	X(prep_read, 64, io_uring_prep_read(s, N(0), P(1), N(2), N(3))) \
	X(prep_write, 64, io_uring_prep_write(s, N(0), P(1), N(2), N(3))) \
	X(prep_readv, 64, io_uring_prep_readv(s, N(0), P(1), N(2), N(3))) \
	X(prep_readv2, 64, io_uring_prep_readv2(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_writev, 64, io_uring_prep_writev(s, N(0), P(1), N(2), N(3))) \
	X(prep_writev2, 64, io_uring_prep_writev2(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_read_fixed, 64, io_uring_prep_read_fixed(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_write_fixed, 64, io_uring_prep_write_fixed(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_readv_fixed, 64, io_uring_prep_readv_fixed(s, N(0), P(1), N(2), N(3), N(4), N(5))) \
	X(prep_writev_fixed, 64, io_uring_prep_writev_fixed(s, N(0), P(1), N(2), N(3), N(4), N(5))) \
	X(prep_read_multishot, 64, io_uring_prep_read_multishot(s, N(0), N(1), N(2), N(3))) \
	X(prep_send, 64, io_uring_prep_send(s, N(0), P(1), N(2), N(3))) \
	X(prep_send_bundle, 64, io_uring_prep_send_bundle(s, N(0), N(1), N(2))) \
	X(prep_send_set_addr, 64, io_uring_prep_send_set_addr(s, P(0), N(1))) \
	X(prep_sendto, 64, io_uring_prep_sendto(s, N(0), P(1), N(2), N(3), P(4), N(5))) \
	X(prep_send_zc, 64, io_uring_prep_send_zc(s, N(0), P(1), N(2), N(3), N(4))) \
	X(prep_send_zc_fixed, 64, io_uring_prep_send_zc_fixed(s, N(0), P(1), N(2), N(3), N(4), N(5))) \
	X(prep_sendmsg, 64, io_uring_prep_sendmsg(s, N(0), P(1), N(2))) \
	X(prep_sendmsg_zc, 64, io_uring_prep_sendmsg_zc(s, N(0), P(1), N(2))) \
	X(prep_sendmsg_zc_fixed, 64, io_uring_prep_sendmsg_zc_fixed(s, N(0), P(1), N(2), N(3))) \
	X(prep_recv, 64, io_uring_prep_recv(s, N(0), P(1), N(2), N(3))) \
	X(prep_recv_multishot, 64, io_uring_prep_recv_multishot(s, N(0), P(1), N(2), N(3))) \
	X(prep_recvmsg, 64, io_uring_prep_recvmsg(s, N(0), P(1), N(2))) \
	X(prep_recvmsg_multishot, 64, io_uring_prep_recvmsg_multishot(s, N(0), P(1), N(2))) \
	X(prep_timeout, 64, io_uring_prep_timeout(s, P(0), N(1), N(2))) \
	X(prep_timeout_remove, 64, io_uring_prep_timeout_remove(s, N(0), N(1))) \
	X(prep_timeout_update, 64, io_uring_prep_timeout_update(s, P(0), N(1), N(2))) \
	X(prep_link_timeout, 64, io_uring_prep_link_timeout(s, P(0), N(1))) \
	X(prep_cancel64, 64, io_uring_prep_cancel64(s, N(0), N(1))) \
	X(prep_cancel, 64, io_uring_prep_cancel(s, P(0), N(1))) \
	X(prep_cancel_fd, 64, io_uring_prep_cancel_fd(s, N(0), N(1))) \
	X(prep_futex_wait, 64, io_uring_prep_futex_wait(s, P(0), N(1), N(2), N(3), N(4))) \
	X(prep_futex_wake, 64, io_uring_prep_futex_wake(s, P(0), N(1), N(2), N(3), N(4))) \
	X(prep_futex_waitv, 64, io_uring_prep_futex_waitv(s, P(0), N(1), N(2))) \
	X(prep_waitid, 64, io_uring_prep_waitid(s, N(0), N(1), P(2), N(3), N(4))) \
	X(prep_getxattr, 64, io_uring_prep_getxattr(s, P(0), P(1), P(2), N(3))) \
	X(prep_setxattr, 64, io_uring_prep_setxattr(s, P(0), P(1), P(2), N(3), N(4))) \
	X(prep_fgetxattr, 64, io_uring_prep_fgetxattr(s, N(0), P(1), P(2), N(3))) \
	X(prep_fsetxattr, 64, io_uring_prep_fsetxattr(s, N(0), P(1), P(2), N(3), N(4))) \
	X(sqe_set_data, 64, io_uring_sqe_set_data(s, P(0))) \
	X(sqe_set_data64, 64, io_uring_sqe_set_data64(s, N(0))) \
	X(sqe_set_flags, 64, io_uring_sqe_set_flags(s, N(0))) \
	X(sqe_set_buf_group, 64, io_uring_sqe_set_buf_group(s, N(0)))

#endif
