//! Ties the C header to the Rust: writes C files of `_Static_assert`s from
//! the Rust `size_of`/`offset_of!` of every ABI struct and field, and from
//! every kernel constant in src/sys/consts.rs, and compiles them against
//! include/liburing.h.

use crate::ring::types::{io_uring, io_uring_cq, io_uring_cqe_iter, io_uring_sq};
use crate::sys::*;
use std::fmt::Write;
use std::mem::offset_of;
use std::process::Command;

/// Asserts the size of a struct and the offsets of its fields, optionally
/// under another C name (`rust_field as "c_field"`).
macro_rules! check {
    ($out:ident, $ty:ident { $($field:ident $(as $c:literal)?),* $(,)? }) => {{
        let (name, size) = (stringify!($ty), size_of::<$ty>());
        writeln!($out, "_Static_assert(sizeof(struct {name}) == {size}, \"size of {name}\");").unwrap();
        $(
            let c_name = check!(@name $field $($c)?);
            let offset = offset_of!($ty, $field);
            let field = format!("offsetof(struct {name}, {c_name})");
            writeln!($out, "_Static_assert({field} == {offset}, \"{name}.{c_name}\");").unwrap();
        )*
    }};
    (@name $field:ident $c:literal) => { $c };
    (@name $field:ident) => { stringify!($field) };
}

#[test]
#[cfg_attr(miri, ignore = "runs the C compiler")]
fn c_layouts_match_rust() {
    let mut c = String::from("#include <stddef.h>\n#include <linux/futex.h>\n#include <liburing.h>\n");
    check!(c, io_uring { sq, cq, flags, ring_fd, features, enter_ring_fd, int_flags, pad, pad2 });
    check!(
        c,
        io_uring_sq {
            khead,
            ktail,
            kring_mask,
            kring_entries,
            kflags,
            kdropped,
            array,
            sqes,
            sqe_head,
            sqe_tail,
            ring_sz,
            ring_ptr,
            ring_mask,
            ring_entries,
            sqes_sz,
            pad
        }
    );
    check!(
        c,
        io_uring_cq {
            khead,
            ktail,
            kring_mask,
            kring_entries,
            kflags,
            koverflow,
            cqes,
            ring_sz,
            ring_ptr,
            ring_mask,
            ring_entries,
            pad
        }
    );
    check!(c, io_uring_cqe_iter { cqes, mask, shift, head, tail });
    check!(c, io_uring_sqe {
        opcode, flags, ioprio, fd, off, addr, len, op_flags as "rw_flags", user_data, buf_index,
        personality, file_index, addr3, __pad2
    });
    check!(c, io_uring_cqe { user_data, res, flags });
    check!(c, io_sqring_offsets { head, tail, ring_mask, ring_entries, flags, dropped, array, resv1, user_addr });
    check!(c, io_cqring_offsets { head, tail, ring_mask, ring_entries, overflow, cqes, flags, resv1, user_addr });
    check!(
        c,
        io_uring_params {
            sq_entries,
            cq_entries,
            flags,
            sq_thread_cpu,
            sq_thread_idle,
            features,
            wq_fd,
            resv,
            sq_off,
            cq_off
        }
    );
    check!(c, io_uring_probe_op { op, resv, flags, resv2 });
    check!(c, io_uring_probe { last_op, ops_len, resv, resv2, ops });
    check!(c, io_uring_getevents_arg { sigmask, sigmask_sz, min_wait_usec, ts });
    check!(c, __kernel_timespec { tv_sec, tv_nsec });
    check!(c, io_uring_rsrc_update { offset, resv, data });
    check!(c, io_uring_reg_wait { ts, min_wait_usec, flags, sigmask, sigmask_sz, pad, pad2 });
    check!(c, io_uring_rsrc_register { nr, flags, resv2, data, tags });
    check!(c, io_uring_rsrc_update2 { offset, resv, data, tags, nr, resv2 });
    check!(c, io_uring_restriction { opcode, register_op, resv, resv2 });
    check!(c, io_uring_clock_register { clockid, __resv });
    check!(c, io_uring_clone_buffers { src_fd, flags, src_off, dst_off, nr, pad });
    check!(c, io_uring_buf { addr, len, bid, resv });
    check!(c, io_uring_buf_ring { resv1, resv2, resv3, tail });
    check!(c, io_uring_buf_reg { ring_addr, ring_entries, bgid, flags, min_left, resv });
    check!(c, io_uring_buf_status { buf_group, head, resv });
    check!(c, io_uring_napi { busy_poll_to, prefer_busy_poll, pad, resv });
    check!(c, io_uring_sync_cancel_reg { addr, fd, flags, timeout, opcode, pad, pad2 });
    check!(c, io_uring_file_index_range { off, len, resv });
    check!(c, io_uring_region_desc { user_addr, size, flags, id, mmap_offset, __resv });
    check!(c, io_uring_mem_region_reg { region_uptr, flags, __resv });
    check!(c, io_uring_zcrx_offsets { head, tail, rqes, __resv2, __resv });
    check!(
        c,
        io_uring_zcrx_ifq_reg {
            if_idx,
            if_rxq,
            rq_entries,
            flags,
            area_ptr,
            region_ptr,
            offsets,
            zcrx_id,
            rx_buf_len,
            __resv
        }
    );
    check!(c, zcrx_ctrl_export { zcrx_fd, __resv1 });
    check!(c, zcrx_ctrl { zcrx_id, op, __resv, zc_export });
    check!(c, io_uring_bpf_filter { opcode, flags, filter_len, pdu_size, resv, filter_ptr, resv2 });
    check!(c, io_uring_bpf { cmd_type, cmd_flags, resv, filter });
    check!(c, io_uring_query_hdr { next_entry, query_data, query_op, size, result, __resv });
    check!(c, io_uring_recvmsg_out { namelen, controllen, payloadlen, flags });
    check!(c, open_how { flags, mode, resolve });
    check!(c, futex_waitv { val, uaddr, flags, __reserved });

    compile(&c, "layout");
}

#[test]
#[cfg_attr(miri, ignore = "runs the C compiler")]
fn c_constants_match_rust() {
    let mut c = String::from("#include <liburing.h>\n");
    for (name, value) in crate::sys::consts::ALL.iter().copied().flatten() {
        writeln!(c, "_Static_assert({name} == {value}, \"{name} is {value} in Rust\");").unwrap();
    }
    compile(&c, "constants");
}

/// Compiles `c` against our headers; fails the test with the compiler's
/// message naming every mismatch.
fn compile(c: &str, what: &str) {
    let dir = std::env::temp_dir().join(format!("uring-rs-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("{what}.c"));
    std::fs::write(&src, c).unwrap();
    let include = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
    let out = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .args(["-std=gnu11", "-D_GNU_SOURCE", "-fsyntax-only", "-I", include])
        .arg(&src)
        .output()
        .expect("a C compiler runs");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{what} mismatch:\n{}", String::from_utf8_lossy(&out.stderr));
}
