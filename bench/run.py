#!/usr/bin/env python3
"""Runs liburing-rs's benchmarks side by side with Debian's liburing.

Builds bench/uring-bench.c three ways (see its header), then for every
workload alternates ours and the reference, A B B A ..., over PAIRS pairs, and
reports the median ns/op of each and the median of the pairwise ratios
(ours / reference) with their spread. Two pairings:

  header   built on our header and library  vs  built on liburing's header,
           linked statically against liburing.a
  preload  built against liburing.so.2, run with LD_PRELOAD of ours
           vs  the same binary without

and, when cargo can build bench/rust-peer (the same nop and read workloads
written with the tokio-rs io-uring crate), a third line for those workloads:

  rust-crate  the Rust peer  vs  the liburing.a build; context, not a
              parity target, and left out of the chart

Writes bench/RESULTS.md and bench/ratios.png (gnuplot), and checks with a
preloaded malloc counter that the hot path allocates nothing.
"""
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BUILD = os.path.join(TOP, "build")
OURS_SO = os.path.join(BUILD, "liburing_rs.so")
PAIRS = int(os.environ.get("BENCH_PAIRS", "11"))
RUST_PEER = os.path.join(HERE, "rust-peer")
# The workloads bench/rust-peer implements, with uring-bench's meaning.
RUST_WORKLOADS = {("nop", 1), ("nop", 8), ("nop", 32), ("nop", 128), ("read", 1), ("read", 32)}
# The pairings the chart shows: ours against liburing.
CHARTED = ("header", "preload")

# (workload, parameter, operations per run): each run takes a few tenths of a second.
WORKLOADS = [
    ("nop", 1, 200_000),
    ("nop", 8, 600_000),
    ("nop", 32, 1_000_000),
    ("nop", 128, 1_000_000),
    ("read", 1, 150_000),
    ("read", 32, 300_000),
    ("read-fixed", 32, 400_000),
    ("read-sqpoll", 32, 150_000),
    ("odirect", 32, 40_000),
    ("pingpong", 0, 10_000),
    ("pingpong-multishot", 0, 10_000),
    ("setup", 8, 4_000),
    ("setup", 4096, 2_000),
]


def sh(*cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)


def build(out):
    src = os.path.join(HERE, "uring-bench.c")
    cc = os.environ.get("CC", "cc")
    flags = ["-O2", "-g", "-Wall"]
    bins = {
        "ours": [cc, *flags, "-I", os.path.join(TOP, "include"), "-o", f"{out}/ours", src,
                 "-L", BUILD, "-luring_rs", f"-Wl,-rpath,{BUILD}", "-lpthread"],
        "ref": [cc, *flags, "-o", f"{out}/ref", src, "-l:liburing.a", "-lpthread"],
        "ref-so": [cc, *flags, "-o", f"{out}/ref-so", src, "-l:liburing.so.2", "-lpthread"],
    }
    for argv in bins.values():
        sh(*argv)
    sh(cc, "-O2", "-shared", "-fPIC", "-o", f"{out}/malloc-count.so", os.path.join(HERE, "malloc-count.c"))
    return {name: f"{out}/{name}" for name in bins}


def build_rust_peer():
    """The Rust peer's binary, or None (with a note) when cargo is missing or the build fails."""
    if shutil.which("cargo") is None:
        print("note: no cargo, so no rust-crate line", flush=True)
        return None
    target = os.path.join(BUILD, "rust-peer-target")
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    try:
        sh("cargo", "build", "--release", "--manifest-path", os.path.join(RUST_PEER, "Cargo.toml"), "--quiet",
           env=env)
    except subprocess.CalledProcessError as e:
        why = next((line for line in (e.stderr or "").splitlines() if line.startswith("error")), "no message")
        print(f"note: bench/rust-peer did not build ({why}), "
              "so no rust-crate line", flush=True)
        return None
    return os.path.join(target, "release", "rust-peer")


def run(binary, args, preload=None):
    """One run: nanoseconds per operation (or, for ringmem, bytes)."""
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = preload
    res = subprocess.run([binary, *map(str, args)], env=env, cwd=BUILD, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{binary} {args} failed: {res.stderr.strip()}")
    return float(res.stdout.strip())


def peak_rss(binary, args, preload=None):
    env = dict(os.environ, LD_PRELOAD=preload or "")
    res = subprocess.run(["/usr/bin/time", "-f", "%M", binary, *map(str, args)], env=env, cwd=BUILD,
                         capture_output=True, text=True, check=True)
    return int(res.stderr.strip().splitlines()[-1])


def measure(a, b, args):
    """PAIRS pairs, alternating which runs first: ns/op lists and the pairwise ratios a/b."""
    xs, ys = [], []
    for i in range(PAIRS):
        # A B, then B A: whichever runs second inherits the state the first
        # left (freed kernel memory, warm caches), so neither always does.
        if i % 2 == 0:
            xs.append(run(a[0], args, a[1]))
            ys.append(run(b[0], args, b[1]))
        else:
            ys.append(run(b[0], args, b[1]))
            xs.append(run(a[0], args, a[1]))
    ratios = [x / y for x, y in zip(xs, ys)]
    return xs, ys, ratios


def spread(values):
    """Half the interquartile range, as a +- on the median."""
    q = statistics.quantiles(values, n=4)
    return (q[2] - q[0]) / 2


def allocations(binary, ops, shim):
    env = dict(os.environ, LD_PRELOAD=shim)
    res = subprocess.run([binary, "nop", "32", str(ops)], env=env, cwd=BUILD, capture_output=True, text=True,
                         check=True)
    return int(res.stderr.split("allocations:")[1].split()[0])


def main():
    with tempfile.TemporaryDirectory() as tmp:
        bins = build(tmp)
        ours, ref, ref_so = bins["ours"], bins["ref"], bins["ref-so"]
        peer = build_rust_peer()
        rows = []
        for workload, param, ops in WORKLOADS:
            args = (workload, param, ops)
            label = f"{workload} {param}" if param else workload
            pairings = [("header", (ours, None), (ref, None)),
                        ("preload", (ref_so, OURS_SO), (ref_so, None))]
            if peer and (workload, param) in RUST_WORKLOADS:
                pairings.append(("rust-crate", (peer, None), (ref, None)))
            for pairing, a, b in pairings:
                xs, ys, ratios = measure(a, b, args)
                rows.append((label, pairing, statistics.median(xs), statistics.median(ys),
                             statistics.median(ratios), spread(ratios)))
                print(f"{label:24} {pairing:10} ours {rows[-1][2]:10.1f}  ref {rows[-1][3]:10.1f}  "
                      f"ratio {rows[-1][4]:.3f} +- {rows[-1][5]:.3f}", flush=True)
        rss = {name: peak_rss(path, ("nop", 32, 100_000)) for name, path in (("ours", ours), ("ref", ref))}
        mem = {name: {e: int(run(path, ("ringmem", e, 0))) for e in (8, 4096)}
               for name, path in (("ours", ours), ("ref", ref))}
        shim = f"{tmp}/malloc-count.so"
        allocs = (allocations(ours, 100_000, shim), allocations(ours, 1_000_000, shim))
        write_results(rows, rss, mem, allocs)
        chart(rows)
    if allocs[0] != allocs[1]:
        sys.exit("the hot path allocates: malloc count grew with the number of operations")


def write_results(rows, rss, mem, allocs):
    kernel = platform.release()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.machine())
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (bench/run.py) on {datetime.date.today().isoformat()}: "
        f"kernel {kernel}, {os.cpu_count()} CPUs ({cpu}). Reference: Debian's liburing "
        f"{ref_version()}. Each run reports the fastest of its 5 rounds; median of {PAIRS} A/B pairs "
        "of runs; ratio = ours / reference, with half the interquartile range of the pairwise ratios "
        "as spread.",
        "",
        "| workload | pairing | ours ns/op | reference ns/op | ratio | spread |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, pairing, x, y, r, s in rows:
        lines.append(f"| {label} | {pairing} | {x:.1f} | {y:.1f} | {r:.3f} | ±{s:.3f} |")
    lines += [
        "",
        "`header`: the program built on our header and library against the same program built on "
        "liburing's header and liburing.a. `preload`: a binary built against liburing.so.2, run with "
        "`LD_PRELOAD` of liburing-rs against the same binary without.",
        "",
    ]
    if any(row[1] == "rust-crate" for row in rows):
        lines += [
            "`rust-crate`: the same nop and read workloads written in Rust with the tokio-rs `io-uring` "
            "crate (bench/rust-peer), in the ours column, against the liburing.a build. The rust-crate "
            "line shows where a Rust user of the io-uring crate stands, relative to liburing, not a "
            "parity target; the chart leaves it out.",
            "",
        ]
    lines += [
        "| memory | ours | liburing |",
        "|---|---:|---:|",
        f"| peak RSS, nop 32 (KiB) | {rss['ours']} | {rss['ref']} |",
        f"| ring memory, 8 entries (bytes) | {mem['ours'][8]} | {mem['ref'][8]} |",
        f"| ring memory, 4096 entries (bytes) | {mem['ours'][4096]} | {mem['ref'][4096]} |",
        "",
        f"Heap allocations in a whole run of 100k and of 1M NOPs: {allocs[0]} and {allocs[1]} "
        "(the same count: the submit and reap paths allocate nothing).",
        "",
        "![ratios](ratios.png)",
        "",
    ]
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))


def ref_version():
    try:
        return sh("dpkg-query", "-W", "-f", "${Version}", "liburing-dev").stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "(unknown version)"


def chart(rows):
    data = os.path.join(HERE, "ratios.dat")
    with open(data, "w") as f:
        for label, pairing, _, _, r, s in rows:
            if pairing not in CHARTED:
                continue
            f.write(f"\"{label} ({pairing})\" {r:.4f} {s:.4f}\n")
    script = f"""
set terminal pngcairo size 1100,650
set output '{os.path.join(HERE, "ratios.png")}'
set title 'liburing-rs / liburing, ns per op (lower is better)'
set style data histograms
set style histogram errorbars lw 1
set style fill solid 0.6
set boxwidth 0.8
set yrange [0:*]
set xtics rotate by -45 font ',8'
set bmargin 9
set rmargin 6
set grid ytics
unset key
plot '{data}' using 2:3:xtic(1) lc rgb '#4477aa', 1 with lines lc rgb 'red' dt 2
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(data)


if __name__ == "__main__":
    main()
