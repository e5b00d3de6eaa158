"""An echo server that gets one thing wrong, to prove bench/echo-load sees it.

    echo-faulty.py MODE CONNECTIONS

Serves CONNECTIONS connections on 127.0.0.1 (printing "listening on PORT"
as the real servers do), echoing faithfully except, on the 50th read of
every connection: dup repeats its last byte, drop loses it, flip changes
it, close closes the connection instead of echoing. Used by
bench/check-echo-load.sh.
"""
import socket
import sys
import threading

mode, conns = sys.argv[1], int(sys.argv[2])


def serve(conn):
    reads = 0
    while data := conn.recv(4096):
        reads += 1
        if reads == 50:
            if mode == "close":
                break
            data = {"dup": data + data[-1:], "drop": data[:-1], "flip": data[:-1] + bytes([data[-1] ^ 1])}[mode]
        conn.sendall(data)
    conn.close()


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(conns)
print("listening on", listener.getsockname()[1], flush=True)
threads = [threading.Thread(target=serve, args=(listener.accept()[0],)) for _ in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
