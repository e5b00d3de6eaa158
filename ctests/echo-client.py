"""Test client for examples/echo-server (run by ctests/run-echo-server.sh).

    echo-client.py PORT HEAVY MESSAGES LIGHT

Opens, all at once:
- HEAVY connections sending MESSAGES messages of 1 B to 64 KiB each; half
  of them stream (a thread sends everything while another reads) and half
  go in lockstep (send one message, read its echo, send the next);
- LIGHT connections that echo one short message and close;
- one connection closed at once, and one reset (RST) after sending 200 KiB
  it never reads back.
Every echoed byte is checked, in order, and after the client's end of a
heavy connection is shut the server must close its end. Prints the number
of connections opened; exits 1 on any mismatch or error.
"""
import random
import socket
import struct
import sys
import threading

port, heavy, messages, light = (int(a) for a in sys.argv[1:5])
errors = []


def connect():
    # Not create_connection: its getaddrinfo needs the idna codec, which a
    # minimal Python (the kernel-matrix VMs) may lack.
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError(f"server closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def payloads(rng):
    # Sizes spread evenly over the powers of two, plus both extremes.
    sizes = [1, 65536] + [int(2 ** rng.uniform(0, 16)) for _ in range(messages - 2)]
    rng.shuffle(sizes)
    return [rng.randbytes(n) for n in sizes]


def expect_close(s, name):
    s.shutdown(socket.SHUT_WR)
    if s.recv(1) != b"":
        raise AssertionError(f"{name}: server sent bytes nobody sent")


def streaming(i):
    msgs = payloads(random.Random(i))
    with connect() as s:
        def send_all():
            for m in msgs:
                s.sendall(m)
            s.shutdown(socket.SHUT_WR)
        sender = threading.Thread(target=send_all)
        sender.start()
        want = b"".join(msgs)
        got = read_exact(s, len(want))
        sender.join()
        if got != want:
            at = next(k for k in range(len(want)) if got[k] != want[k])
            raise AssertionError(f"stream {i}: echo differs at byte {at}")
        if s.recv(1) != b"":
            raise AssertionError(f"stream {i}: extra bytes after the echo")


def lockstep(i):
    with connect() as s:
        for k, m in enumerate(payloads(random.Random(i))):
            s.sendall(m)
            if read_exact(s, len(m)) != m:
                raise AssertionError(f"lockstep {i}: message {k} came back wrong")
        expect_close(s, f"lockstep {i}")


def short(i):
    m = random.Random(1000 + i).randbytes(1 + i % 100)
    with connect() as s:
        s.sendall(m)
        if read_exact(s, len(m)) != m:
            raise AssertionError(f"short {i}: echo differs")


def closed_at_once(_):
    connect().close()


def reset(_):
    s = connect()
    s.sendall(random.Random(5).randbytes(200 * 1024))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def run(fn, i):
    try:
        fn(i)
    except Exception as e:  # noqa: BLE001 - any failure is reported
        errors.append(f"{fn.__name__} {i}: {e!r}")


jobs = [(streaming if i % 2 else lockstep, i) for i in range(heavy)]
jobs += [(short, i) for i in range(light)]
jobs += [(closed_at_once, 0), (reset, 0)]
threads = [threading.Thread(target=run, args=job) for job in jobs]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"echo-client: {len(jobs)} connections")
for e in errors:
    print("echo-client:", e)
sys.exit(1 if errors else 0)
