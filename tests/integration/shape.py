#!/usr/bin/env python3
"""Traffic for the link-shaping tests: bulk TCP in either direction, and
counted UDP datagrams.

source ADDR PORT BYTES   listen; send BYTES to the first peer, then close;
                         prints "listening" first
fetch ADDR PORT          connect, read to EOF; prints "<bytes> <seconds>"
sink ADDR PORT           listen; read the first peer to EOF; prints
                         "listening", then "<bytes> <seconds>"
push ADDR PORT BYTES     connect, send BYTES, close
udp-count ADDR PORT      count datagrams until 1 s of silence (after the
                         first); prints "listening", then the count
udp-send ADDR PORT N     send N datagrams, 0.5 ms apart
"""
import socket
import sys
import time

CHUNK = 65536


def listen(addr, port, kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    if kind == socket.SOCK_STREAM:
        s.listen(1)
    print("listening", flush=True)
    return s


def send_all(c, n):
    buf = b"x" * CHUNK
    while n > 0:
        c.sendall(buf[: min(n, CHUNK)])
        n -= min(n, CHUNK)


def read_all(c):
    total = 0
    start = time.monotonic()
    while True:
        data = c.recv(CHUNK)
        if not data:
            break
        total += len(data)
    return total, time.monotonic() - start


def main(argv):
    cmd, addr, port = argv[1], argv[2], int(argv[3])
    if cmd == "source":
        c, _ = listen(addr, port).accept()
        send_all(c, int(argv[4]))
        c.close()
    elif cmd == "fetch":
        c = socket.create_connection((addr, port), timeout=30)
        n, secs = read_all(c)
        print(f"{n} {secs:.3f}")
    elif cmd == "sink":
        c, _ = listen(addr, port).accept()
        n, secs = read_all(c)
        print(f"{n} {secs:.3f}", flush=True)
    elif cmd == "push":
        c = socket.create_connection((addr, port), timeout=30)
        send_all(c, int(argv[4]))
        c.close()
    elif cmd == "udp-count":
        s = listen(addr, port, socket.SOCK_DGRAM)
        n = 0
        s.settimeout(30)
        try:
            while True:
                s.recv(2048)
                n += 1
                s.settimeout(1)
        except socket.timeout:
            pass
        print(n, flush=True)
    elif cmd == "udp-send":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(int(argv[4])):
            s.sendto(b"%d" % i, (addr, port))
            time.sleep(0.0005)
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
