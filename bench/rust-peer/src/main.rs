//! The `nop` and `read` workloads of bench/uring-bench.c, written the way a
//! Rust program would write them with the tokio-rs `io-uring` crate.
//!
//!   rust-peer <workload> <param> <ops>
//!
//! Same arguments, same work, same output (ns per operation, the fastest of
//! five rounds) as uring-bench:
//!   nop <batch>    NOP round trips, `batch` submitted and waited together
//!   read <depth>   4 KiB random reads of a page-cached 64 MiB file, `depth` in flight
#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::process::exit;
use std::time::Instant;

use io_uring::{IoUring, SubmissionQueue, opcode, squeue, types};

const FILE_SIZE: u64 = 64 << 20;
/// Rounds per run; the run reports its fastest (see uring-bench.c).
const ROUNDS: u64 = 5;
const BS: u32 = 4096;
const DATA_PATH: &str = "/tmp/uring-bench.data";

fn die(what: &str, err: io::Error) -> ! {
    eprintln!("rust-peer: {what}: {err}");
    exit(1);
}

/// A negative CQE result as an io::Error; anything else (a short read) as EIO.
fn cqe_error(res: i32) -> io::Error {
    io::Error::from_raw_os_error(if res < 0 { -res } else { EIO })
}

/// EIO on Linux: what uring-bench reports for a wrong count or result.
const EIO: i32 = 5;

/// The xorshift64 generator uring-bench uses, with the same seed, so both
/// programs read the same offsets in the same order.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn bench_nop(batch: u32, ops: u64) -> f64 {
    let mut ring = IoUring::new(batch.max(8)).unwrap_or_else(|e| die("queue_init", e));
    let (submitter, mut sq, mut cq) = ring.split();
    let nop = opcode::Nop::new().build();
    let t0 = Instant::now();
    let mut done = 0;
    while done < ops {
        for i in 0..batch {
            let sqe = nop.clone().user_data(u64::from(i));
            // SAFETY: a NOP references no memory.
            if unsafe { sq.push(&sqe) }.is_err() {
                die("get_sqe", io::Error::from_raw_os_error(EIO));
            }
        }
        sq.sync();
        match submitter.submit_and_wait(batch as usize) {
            Ok(n) if n == batch as usize => {}
            Ok(_) => die("submit_and_wait", io::Error::from_raw_os_error(EIO)),
            Err(e) => die("submit_and_wait", e),
        }
        // Picks up the head the kernel advanced, freeing the SQ slots again.
        sq.sync();
        cq.sync();
        for _ in 0..batch {
            match cq.next() {
                Some(cqe) if cqe.result() == 0 => {}
                Some(cqe) => die("peek", cqe_error(cqe.result())),
                None => die("peek", io::Error::from_raw_os_error(EIO)),
            }
        }
        cq.sync();
        done += u64::from(batch);
    }
    t0.elapsed().as_nanos() as f64 / ops as f64
}

/// The 64 MiB data file uring-bench uses, created if missing or of another
/// size, then read once so it sits in the page cache.
fn make_file() -> File {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(DATA_PATH)
        .unwrap_or_else(|e| die("open data file", e));
    let size = f.metadata().unwrap_or_else(|e| die("stat data file", e)).len();
    let mut chunk = vec![0x5au8; 1 << 20];
    if size != FILE_SIZE {
        for _ in 0..FILE_SIZE >> 20 {
            f.write_all(&chunk).unwrap_or_else(|e| die("write data file", e));
        }
        f.sync_all().unwrap_or_else(|e| die("fsync data file", e));
    }
    drop(f);
    let mut f = File::open(DATA_PATH).unwrap_or_else(|e| die("reopen data file", e));
    while f.read(&mut chunk).is_ok_and(|n| n > 0) {}
    f
}

/// One page-aligned 4 KiB read buffer, as posix_memalign gives uring-bench.
#[repr(C, align(4096))]
struct Page([u8; BS as usize]);

fn queue_read(sq: &mut SubmissionQueue<'_>, fd: i32, bufs: &mut [Page], slot: u64, rng: &mut XorShift) {
    let off = (rng.next() % (FILE_SIZE / u64::from(BS))) * u64::from(BS);
    let Some(buf) = usize::try_from(slot).ok().and_then(|i| bufs.get_mut(i)) else {
        die("read", io::Error::from_raw_os_error(EIO));
    };
    let sqe: squeue::Entry = opcode::Read::new(types::Fd(fd), buf.0.as_mut_ptr(), BS)
        .offset(off)
        .build()
        .user_data(slot);
    // SAFETY: the buffer is one of `bufs`, which outlives the ring (bench_read
    // declares the ring after it, and reaps every read anyway), and slot `slot` is not
    // reused until this read's completion has been reaped; `fd` stays open
    // for as long as the ring runs.
    if unsafe { sq.push(&sqe) }.is_err() {
        die("get_sqe", io::Error::from_raw_os_error(EIO));
    }
}

fn bench_read(depth: u32, ops: u64) -> f64 {
    let file = make_file();
    let fd = file.as_raw_fd();
    let mut rng = XorShift(88172645463325252);
    let mut bufs: Vec<Page> = (0..depth).map(|_| Page([0; BS as usize])).collect();
    let mut ring = IoUring::new(depth).unwrap_or_else(|e| die("queue_init", e));
    let (submitter, mut sq, mut cq) = ring.split();
    let t0 = Instant::now();
    for slot in 0..depth {
        queue_read(&mut sq, fd, &mut bufs, u64::from(slot), &mut rng);
    }
    let (mut done, mut issued) = (0, u64::from(depth));
    while done < ops {
        sq.sync();
        if let Err(e) = submitter.submit_and_wait(1) {
            die("submit_and_wait", e);
        }
        sq.sync();
        cq.sync();
        let mut n = 0;
        for cqe in &mut cq {
            if cqe.result() != BS as i32 {
                die("read", cqe_error(cqe.result()));
            }
            n += 1;
            if issued < ops {
                queue_read(&mut sq, fd, &mut bufs, cqe.user_data(), &mut rng);
                issued += 1;
            }
        }
        cq.sync();
        done += n;
    }
    // The ring is dropped before `bufs` and `file` (declared after them).
    t0.elapsed().as_nanos() as f64 / ops as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, workload, param, ops] = args.as_slice() else {
        eprintln!("usage: rust-peer <workload> <param> <ops>");
        exit(2);
    };
    let (Ok(param), Ok(ops)) = (param.parse::<u32>(), ops.parse::<u64>()) else {
        eprintln!("rust-peer: <param> and <ops> must be unsigned integers");
        exit(2);
    };
    if param == 0 || ops == 0 {
        eprintln!("rust-peer: <param> and <ops> must be positive");
        exit(2);
    }
    let bench: fn(u32, u64) -> f64 = match workload.as_str() {
        "nop" => bench_nop,
        "read" => bench_read,
        _ => {
            eprintln!("rust-peer: unknown workload {workload} (this peer runs nop and read)");
            exit(2);
        }
    };
    // The fastest of ROUNDS rounds, as uring-bench reports.
    let ns = (0..ROUNDS).map(|_| bench(param, ops / ROUNDS)).fold(f64::INFINITY, f64::min);
    println!("{ns:.1}");
}
