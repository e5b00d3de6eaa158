//! The SQE's union members that are narrower than the flattened Rust
//! field holding them. Each is written by bytes in memory order, so the
//! result matches the C layout on either byte order.

use crate::sys::io_uring_sqe;

/// A 64-bit field whose first four bytes in memory hold `first` and last
/// four `second`: `cmd_op` + `__pad1` in `off`, `level` + `optname` in
/// `addr`.
#[inline(always)]
pub fn pair(first: u32, second: u32) -> u64 {
    let [a, b, c, d] = first.to_ne_bytes();
    let [e, f, g, h] = second.to_ne_bytes();
    u64::from_ne_bytes([a, b, c, d, e, f, g, h])
}

/// Sets `addr_len`, the first 16 bits of the `file_index` union, leaving
/// the `__pad3` half as it is.
#[inline(always)]
pub fn set_addr_len(sqe: &mut io_uring_sqe, addr_len: u16) {
    let [_, _, p0, p1] = sqe.file_index.to_ne_bytes();
    let [a0, a1] = addr_len.to_ne_bytes();
    sqe.file_index = u32::from_ne_bytes([a0, a1, p0, p1]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_places_halves_in_memory_order() {
        let v = pair(0x1122_3344, 0x5566_7788).to_ne_bytes();
        assert_eq!(v[..4], 0x1122_3344u32.to_ne_bytes());
        assert_eq!(v[4..], 0x5566_7788u32.to_ne_bytes());
    }

    #[test]
    fn addr_len_keeps_the_pad_half() {
        let mut s = io_uring_sqe { file_index: u32::from_ne_bytes([1, 2, 3, 4]), ..Default::default() };
        set_addr_len(&mut s, u16::from_ne_bytes([9, 8]));
        assert_eq!(s.file_index.to_ne_bytes(), [9, 8, 3, 4]);
    }
}
