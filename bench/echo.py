"""The networking table of `make bench` (issue 15): an echo server under load.

bench/echo-load opens BENCH_ECHO_CONNS connections (10000) on loopback and
runs BENCH_ECHO_EXCHANGES request-response exchanges (1000000) of 16-64
bytes, each checked byte for byte, through three servers:

  io_uring, kernel    examples/echo-server, built on our header and library
  io_uring, emulated  the same binary with URING_RS_EMULATE=always
  epoll               bench/echo-epoll, the same server on epoll

BENCH_ECHO_RUNS rounds (1), each running the three in a rotated order; the
table has the median of each number. A run may take BENCH_ECHO_LIMIT
seconds (180). An emulated server that cannot serve
(the engine without networking operations yet) is reported as not run.
Wrong or lost bytes, from any server, or the kernel or epoll server
failing, are reported as FAILED, and fail the benchmark once the results
are written.
"""
import os
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BUILD = os.path.join(TOP, "build")
CONNS = int(os.environ.get("BENCH_ECHO_CONNS", "10000"))
EXCHANGES = int(os.environ.get("BENCH_ECHO_EXCHANGES", "1000000"))
RUNS = int(os.environ.get("BENCH_ECHO_RUNS", "1"))
# Seconds a run may take: a server slow enough to exceed it is not run.
LIMIT = int(os.environ.get("BENCH_ECHO_LIMIT", "180"))
# (label, program, URING_RS_EMULATE)
SERVERS = [
    ("io_uring, kernel", "echo-server", None),
    ("io_uring, emulated", "echo-server", "always"),
    ("epoll", "echo-epoll", None),
]
# echo-load's exit statuses: wrong bytes, and the server failing.
BYTES_WRONG, SERVER_FAILED = 2, 3
METRICS = ("rate", "p50_us", "p99_us", "server_cpu_us", "client_cpu_us")


class NotRun(Exception):
    """The server could not serve the load: it failed, exited or stalled."""


class Failed(Exception):
    """The bytes that came back were wrong."""


def build(out, cc):
    """echo-load, echo-epoll, and examples/echo-server on our header and library, into out."""
    flags = ["-O2", "-g", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE"]
    sources = {
        "echo-load": [os.path.join(HERE, "echo-load.c")],
        "echo-epoll": [os.path.join(HERE, "echo-epoll.c")],
        "echo-server": ["-I", os.path.join(TOP, "include"), os.path.join(TOP, "examples", "echo-server.c"),
                        "-L", BUILD, "-luring_rs", f"-Wl,-rpath,{BUILD}"],
    }
    for name, args in sources.items():
        subprocess.run([cc, *flags, "-o", f"{out}/{name}", *args], check=True)


def server_argv(out, program):
    argv = [f"{out}/{program}", "-n", str(CONNS)]
    if program == "echo-server":
        # A CQ entry and a provided buffer for every connection's message
        # in flight: with fewer, receives end early (-ENOBUFS, a full CQ)
        # and the server spends its time arming them again.
        size = min(32768, max(64, 1 << (CONNS - 1).bit_length()))
        argv += ["-r", str(size), "-b", str(size)]
    return argv


def run_once(out, program, emulate):
    """One load run: echo-load's numbers, by name."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "URING_RS_EMULATE")}
    if emulate:
        env["URING_RS_EMULATE"] = emulate
    argv = [f"{out}/echo-load", "-c", str(CONNS), "-m", str(EXCHANGES), "-t", str(LIMIT), "--",
            *server_argv(out, program)]
    # echo-load gives up by itself after 10 s without progress or LIMIT in
    # all, and its server dies with it; this only guards against a bug.
    try:
        res = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=LIMIT + 60)
    except subprocess.TimeoutExpired as e:
        raise NotRun(f"echo-load did not end in {LIMIT + 60} s") from e
    why = "; ".join(res.stderr.strip().splitlines()[-2:])
    if res.returncode == SERVER_FAILED:
        raise NotRun(why)
    if res.returncode == BYTES_WRONG:
        raise Failed(why)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({res.returncode}): {res.stderr.strip()}")
    words = res.stdout.split()
    return {key: float(words[words.index(key) + 1]) for key in METRICS}


def rows(out):
    """The table's rows: (label, {metric: median}), or (label, 'not run: why' or 'FAILED: why')."""
    results = {label: [] for label, _, _ in SERVERS}
    failed = {}
    for i in range(RUNS):
        # Rotate which server goes first: each inherits the state (sockets
        # in TIME_WAIT, warm caches) the one before it left.
        for label, program, emulate in SERVERS[i % 3:] + SERVERS[:i % 3]:
            if label in failed:
                continue
            try:
                results[label].append(run_once(out, program, emulate))
            except NotRun as e:
                failed[label] = f"not run: {e}" if emulate else f"FAILED: {e}"
            except Failed as e:
                failed[label] = f"FAILED: {e}"
            print(f"echo {label:20} {failed.get(label) or results[label][-1]}", flush=True)
    return [(label, failed.get(label) or {k: statistics.median(r[k] for r in results[label]) for k in METRICS})
            for label, _, _ in SERVERS]


def section(table, load):
    """RESULTS.md's networking section; load: the load averages before and after."""
    lines = [
        "## Networking",
        "",
        f"An echo server under load (issue 15): bench/echo-load opens {CONNS} connections on loopback and "
        f"runs {EXCHANGES} request-response exchanges of 16-64 bytes, each connection with one message in "
        "flight, every echoed byte checked. examples/echo-server (multishot accept, multishot receive over "
        "a provided-buffer ring) on the kernel's io_uring and emulated (`URING_RS_EMULATE=always`), and "
        "bench/echo-epoll, the same server on epoll. Latency is from a message's send to the last byte "
        "of its echo; CPU is user + system time per exchange, of the server (all its threads) and of the "
        f"client; median of {RUNS} run(s). Goal: the emulated server at or above the epoll server's "
        "throughput. The rate follows what else the machine runs (bench/README.md); load average "
        f"(1 min): {load[0]:.2f} at the start, {load[1]:.2f} at the end.",
        "",
        "| server | exchanges/s | vs epoll | p50 µs | p99 µs | server CPU µs/exchange | client CPU µs/exchange |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    epoll = dict(table).get("epoll")
    for label, r in table:
        if isinstance(r, str):
            lines.append(f"| {label} | {r} | | | | | |")
            continue
        ratio = f"{r['rate'] / epoll['rate']:.2f}" if isinstance(epoll, dict) else ""
        lines.append(f"| {label} | {r['rate']:.0f} | {ratio} | {r['p50_us']:.0f} | {r['p99_us']:.0f} | "
                     f"{r['server_cpu_us']:.2f} | {r['client_cpu_us']:.2f} |")
    lines.append("")
    return lines


def failures(table):
    """The FAILED rows' labels."""
    return [label for label, r in table if isinstance(r, str) and r.startswith("FAILED")]
