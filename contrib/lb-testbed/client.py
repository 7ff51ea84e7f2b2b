#!/usr/bin/env python3
"""The load-balancer test bed's client and report.

    client.py load ADDR PORT N CONCURRENCY TIMEOUT
        N HTTP GETs to ADDR:PORT, CONCURRENCY at a time, each on a new
        connection (so the balancer picks a backend for each); one line per
        request: "<backend name> <milliseconds>" or "FAIL <milliseconds>".

    client.py report RESULTS NAME=ADDR=SENT...
        the per-backend table: SENT is what the balancer says it sent each
        backend (new connections), the rest comes from RESULTS.
"""
import concurrent.futures
import socket
import sys
import time


def one(addr, port, timeout):
    start = time.monotonic()
    try:
        with socket.create_connection((addr, port), timeout=timeout) as c:
            c.settimeout(max(0.001, timeout - (time.monotonic() - start)))
            c.sendall(f"GET / HTTP/1.0\r\nHost: {addr}\r\n\r\n".encode())
            data = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
                c.settimeout(max(0.001, timeout - (time.monotonic() - start)))
        body = data.split(b"\r\n\r\n", 1)[1]
        name = body.split()[0].decode()
    except (OSError, IndexError):
        name = "FAIL"
    return name, (time.monotonic() - start) * 1000


def load(addr, port, n, concurrency, timeout):
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        futures = [pool.submit(one, addr, port, timeout) for _ in range(n)]
        for f in futures:
            name, ms = f.result()
            print(f"{name} {ms:.2f}")
    return 0


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(results, backends):
    ms = {}
    failed = 0
    with open(results) as f:
        for line in f:
            name, t = line.split()
            if name == "FAIL":
                failed += 1
            else:
                ms.setdefault(name, []).append(float(t))
    print(f"{'backend':<8} {'address':<12} {'sent':>5} {'answered':>9} {'failed':>7} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for spec in backends:
        name, addr, sent = spec.split("=")
        got = ms.get(name, [])
        lost = int(sent) - len(got)
        print(f"{name:<8} {addr:<12} {int(sent):>5} {len(got):>9} {lost:>7} "
              f"{percentile(got, 50):>8.1f} {percentile(got, 95):>8.1f} "
              f"{max(got) if got else float('nan'):>8.1f}")
    total = sum(len(v) for v in ms.values())
    print(f"{total} answered, {failed} failed (no answer within the client's timeout)")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "load":
        sys.exit(load(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
                      float(sys.argv[6])))
    sys.exit(report(sys.argv[2], sys.argv[3:]))
