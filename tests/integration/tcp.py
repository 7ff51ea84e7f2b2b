#!/usr/bin/env python3
"""Tiny TCP peer for the integration tests.

serve ADDR PORT [N]   accept N connections (default 1); to each, reply with
                      "<own name> <peer address>\n"; prints "listening" on
                      stdout first.  The name comes from $TCP_NAME.
connect ADDR PORT     connect, print what the server says, exit 0; exit 1 on
                      failure (3 s timeout).
"""
import os
import socket
import sys


def serve(addr, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    print("listening", flush=True)
    name = os.environ.get("TCP_NAME", "server")
    for _ in range(n):
        c, peer = s.accept()
        c.sendall(f"{name} {peer[0]}\n".encode())
        c.close()


def connect(addr, port):
    try:
        c = socket.create_connection((addr, port), timeout=3)
        data = c.recv(256)
        c.close()
    except OSError as e:
        print(f"connect {addr}:{port}: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(data.decode())
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        sys.exit(connect(sys.argv[2], int(sys.argv[3])))
