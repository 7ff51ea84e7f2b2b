#!/usr/bin/env python3
"""A load-balancer test bed backend: answers every HTTP request with its own
name and address ("b1 10.80.0.11\n"), padded to SIZE bytes when given.

    backend.py NAME [PORT [SIZE]]

Prints "ready" once it listens.  Address from $NSRUN_ADDR (set by nsrun).
"""
import http.server
import os
import sys


def main(argv):
    name = argv[1]
    port = int(argv[2]) if len(argv) > 2 else 80
    size = int(argv[3]) if len(argv) > 3 else 0
    line = f"{name} {os.environ.get('NSRUN_ADDR', '?')}\n".encode()
    body = line + b"." * max(0, size - len(line) - 1) + (b"\n" if size > len(line) else b"")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 256

        def handle_error(self, request, client_address):
            pass  # a client that gave up (timeout) is part of the test

    server = Server(("0.0.0.0", port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
