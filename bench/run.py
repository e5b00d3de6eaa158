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

Then the userspace engine (URING_RS_EMULATE, issue 14), in a table of its
own: the build on our header with every ring emulated against the same
binary on the kernel's io_uring, and the read workloads against pread(2),
the path a program takes without io_uring; and Debian's qemu-img bench,
`-i io_uring` emulated (our library preloaded) against its thread pool
(`-i threads`) and against the kernel's io_uring (our library preloaded).

Last, the networking table (bench/echo.py): an echo server under the load
of 10k connections, on the kernel's io_uring, emulated, and on epoll.

Writes bench/RESULTS.md and bench/ratios.png (gnuplot), and checks with a
preloaded malloc counter that the hot path allocates nothing.

`run.py --only echo` runs the networking table alone, and `run.py --only
emulated` the emulated one; each rewrites only its section of RESULTS.md.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import echo

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

# The engine against the kernel's io_uring, and the goals issue 14 sets
# (reported, not enforced): NOPs need no system call at all, and a
# page-cache read is one pread on the engine.
EMULATED = [
    ("nop", 1, 200_000, "< 1"),
    ("nop", 8, 600_000, "< 1"),
    ("nop", 32, 1_000_000, "< 1"),
    ("read", 1, 150_000, "<= 1.2"),
    ("read", 32, 300_000, "<= 1.2"),
    ("read-fixed", 32, 400_000, ""),
    ("odirect", 32, 40_000, ""),
    ("setup", 8, 4_000, ""),
]
# What the engine's reads stand against without io_uring.
PREAD = ("pread", 0, 150_000)
# qemu-img bench's reads of a file on disk, 32 in flight: (label, options, count).
QEMU_IMAGE = os.path.join(BUILD, "qemu-bench.img")
QEMU_READS = [
    ("page cache", ["-t", "writeback"], 100_000),
    ("O_DIRECT", ["-t", "none"], 20_000),
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


def environment(preload=None, emulate=None):
    """The environment of a run: LD_PRELOAD and URING_RS_EMULATE as given, never inherited."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "URING_RS_EMULATE")}
    if preload:
        env["LD_PRELOAD"] = preload
    if emulate:
        env["URING_RS_EMULATE"] = emulate
    return env


def run(binary, args, preload=None, emulate=None):
    """One run: nanoseconds per operation (or, for ringmem, bytes)."""
    res = subprocess.run([binary, *map(str, args)], env=environment(preload, emulate), cwd=BUILD,
                         capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{binary} {args} failed: {res.stderr.strip()}")
    return float(res.stdout.strip())


def qemu_bench(options, count, aio, preload, emulate):
    """One run of qemu-img bench's 4 KiB reads, 32 in flight: nanoseconds per read."""
    argv = ["qemu-img", "bench", "-f", "raw", "-i", aio, "-d", "32", "-c", str(count), *options, QEMU_IMAGE]
    res = subprocess.run(argv, env=environment(preload, emulate), capture_output=True, text=True)
    found = re.search(r"Run completed in ([0-9.]+) seconds", res.stdout)
    if res.returncode != 0 or not found:
        raise RuntimeError(f"{' '.join(argv)} failed: {res.stderr.strip()}")
    return float(found.group(1)) * 1e9 / count


def peak_rss(binary, args, preload=None):
    env = dict(os.environ, LD_PRELOAD=preload or "")
    res = subprocess.run(["/usr/bin/time", "-f", "%M", binary, *map(str, args)], env=env, cwd=BUILD,
                         capture_output=True, text=True, check=True)
    return int(res.stderr.strip().splitlines()[-1])


def measure(a, b, args):
    """PAIRS pairs of runs of a = (binary, preload[, emulate]) and b: ns/op lists and the ratios a/b."""
    return alternate(lambda: run(a[0], args, *a[1:]), lambda: run(b[0], args, *b[1:]))


def alternate(a, b):
    """PAIRS pairs of calls of a and b, alternating which runs first: their results and the ratios a/b."""
    xs, ys = [], []
    for i in range(PAIRS):
        # A B, then B A: whichever runs second inherits the state the first
        # left (freed kernel memory, warm caches), so neither always does.
        if i % 2 == 0:
            xs.append(a())
            ys.append(b())
        else:
            ys.append(b())
            xs.append(a())
    ratios = [x / y for x, y in zip(xs, ys)]
    return xs, ys, ratios


def summary(label, against, xs, ys, ratios, goal=""):
    """A row of the emulated table, printed as it is measured."""
    row = (label, against, statistics.median(xs), statistics.median(ys), statistics.median(ratios), spread(ratios),
           goal)
    print(f"{label:40} {against:16} emulated {row[2]:10.1f}  other {row[3]:10.1f}  "
          f"ratio {row[4]:.3f} +- {row[5]:.3f}", flush=True)
    return row


def emulated_rows(ours):
    """The engine against the kernel's io_uring and against pread(2); qemu-img's reads."""
    rows = []
    for workload, param, ops, goal in EMULATED:
        args = (workload, param, ops)
        label = f"{workload} {param}"
        xs, ys, ratios = measure((ours, None, "always"), (ours, None), args)
        rows.append(summary(label, "kernel io_uring", xs, ys, ratios, goal))
        if workload == "read":
            xs, ys, ratios = alternate(lambda: run(ours, args, None, "always"), lambda: run(ours, PREAD))
            rows.append(summary(label, "pread(2)", xs, ys, ratios))
    if not qemu_ready():
        return rows
    for name, options, count in QEMU_READS:
        label = f"qemu-img bench, 4 KiB reads, {name}"
        sides = {"emulated": ("io_uring", OURS_SO, "always"), "-i threads": ("threads", None, None),
                 "kernel io_uring": ("io_uring", OURS_SO, None)}
        for against, goal in (("-i threads", "<= 1"), ("kernel io_uring", "")):
            xs, ys, ratios = alternate(lambda: qemu_bench(options, count, *sides["emulated"]),
                                       lambda: qemu_bench(options, count, *sides[against]))
            rows.append(summary(label, against, xs, ys, ratios, goal))
    return rows


def qemu_ready():
    """Whether qemu-img is there with io_uring; writes its 64 MiB image (kept in build/) on first use."""
    qemu = shutil.which("qemu-img")
    if qemu is None or "liburing.so" not in sh("ldd", qemu).stdout:
        print("note: no qemu-img built with io_uring, so no qemu-img lines", flush=True)
        return False
    if not os.path.exists(QEMU_IMAGE) or os.path.getsize(QEMU_IMAGE) != 64 << 20:
        with open(QEMU_IMAGE, "wb") as f:
            for _ in range(64):
                f.write(b"\x5a" * (1 << 20))
            os.fsync(f.fileno())
    return True


def spread(values):
    """Half the interquartile range, as a +- on the median."""
    q = statistics.quantiles(values, n=4)
    return (q[2] - q[0]) / 2


def allocations(binary, ops, shim):
    env = dict(os.environ, LD_PRELOAD=shim)
    res = subprocess.run([binary, "nop", "32", str(ops)], env=env, cwd=BUILD, capture_output=True, text=True,
                         check=True)
    return int(res.stderr.split("allocations:")[1].split()[0])


def replace_section(heading, lines):
    """Puts `lines`, a section of RESULTS.md starting at `heading`, in place of the old one (or at the end)."""
    path = os.path.join(HERE, "RESULTS.md")
    with open(path) as f:
        text = f.read().rstrip("\n") + "\n"
    start = text.find(f"\n{heading}\n")
    if start < 0:
        text += "\n" + "\n".join(lines) + "\n"
    else:
        end = text.find("\n## ", start + 1)
        rest = text[end + 1:] if end >= 0 else ""
        text = text[:start + 1] + "\n".join(lines) + "\n" + ("\n" + rest if rest else "")
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n")
    print("\n".join(lines))


def only_echo():
    with tempfile.TemporaryDirectory() as tmp:
        echo.build(tmp, os.environ.get("CC", "cc"))
        load = os.getloadavg()[0]
        table = echo.rows(tmp)
    replace_section("## Networking", echo.section(table, (load, os.getloadavg()[0])))
    return echo.failures(table)


def only_emulated():
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        rows = emulated_rows(build(tmp)["ours"])
    replace_section("## Emulated", emulated_section(rows, (load, os.getloadavg()[0])))


def main():
    parser = argparse.ArgumentParser(description="liburing-rs's benchmarks")
    parser.add_argument("--only", choices=["echo", "emulated"],
                        help="run only this table, and rewrite only its section")
    only = parser.parse_args().only
    if only == "emulated":
        return only_emulated()
    if only == "echo":
        failed = only_echo()
        if failed:
            sys.exit(f"echo benchmark failed: {', '.join(failed)}")
        return
    load_at_start = os.getloadavg()[0]
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
        emulated = emulated_rows(ours)
        echo.build(tmp, os.environ.get("CC", "cc"))
        load_before_echo = os.getloadavg()[0]
        network = echo.rows(tmp)
        network_section = echo.section(network, (load_before_echo, os.getloadavg()[0]))
        write_results(rows, rss, mem, allocs, emulated, network_section, (load_at_start, os.getloadavg()[0]))
        chart(rows)
    if allocs[0] != allocs[1]:
        sys.exit("the hot path allocates: malloc count grew with the number of operations")
    if echo.failures(network):
        sys.exit(f"echo benchmark failed: {', '.join(echo.failures(network))}")


def write_results(rows, rss, mem, allocs, emulated, network, load):
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
        f"as spread. Load average (1 min), as other work shares the machine: {load[0]:.2f} at the start, "
        f"{load[1]:.2f} at the end.",
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
    lines += emulated_section(emulated)
    lines += ["", *network]
    with open(os.path.join(HERE, "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))


def emulated_section(emulated, load=None):
    """The emulated table's lines; `load`, the load averages around it when it runs on its own."""
    alone = "" if load is None else (f" Run on its own (`run.py --only emulated`); load average (1 min): "
                                     f"{load[0]:.2f} at the start, {load[1]:.2f} at the end.")
    lines = [
        "## Emulated",
        "",
        "The userspace engine (`URING_RS_EMULATE=always`): the build on our header with every ring "
        "emulated, against the same binary on the kernel's io_uring, and its reads against the same "
        "reads with pread(2), the path a program takes without io_uring. Then Debian's qemu-img bench "
        "(`-i io_uring`, 4 KiB reads, 32 in flight, of a 64 MiB raw image) with liburing-rs preloaded "
        "and emulating, against its own thread pool (`-i threads`, nothing preloaded) and against the "
        "kernel's io_uring (liburing-rs preloaded, not emulating). Same pairing and statistics as "
        "above; ratio = emulated / other, so below 1 is faster. Goals from issue 14, reported, not "
        "enforced: emulated NOPs faster than the kernel's, page-cache reads within 1.2x of the "
        "kernel's io_uring, qemu-img no slower than its thread pool. bench/README.md says why each "
        "number is what it is." + alone,
        "",
        "| workload | against | emulated ns/op | other ns/op | ratio | spread | goal | met |",
        "|---|---|---:|---:|---:|---:|---|---|",
    ]
    for label, against, x, y, r, s, goal in emulated:
        met = "" if not goal else ("yes" if eval_goal(r, goal) else "no")
        lines.append(f"| {label} | {against} | {x:.1f} | {y:.1f} | {r:.3f} | ±{s:.3f} | {goal} | {met} |")
    return lines


def eval_goal(ratio, goal):
    """Whether a median ratio meets a goal written as '< 1' or '<= 1.2'."""
    op, bound = goal.split()
    return ratio < float(bound) if op == "<" else ratio <= float(bound)


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
