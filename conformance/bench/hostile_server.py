"""A deliberately hostile HTTP server on 127.0.0.1 for conformance/bench/hostile.sh.

    python3 hostile_server.py MODE PORT_FILE

MODE is `endless` (200 with a chunked body that never ends), `stall` (reads the request,
never answers) or `retry` (503 with `Retry-After: 999999`). The port it listens on is
written to PORT_FILE. It runs until killed.
"""

import socketserver
import sys
import time

CHUNK = b"0" * 65536


class Hostile(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        while True:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            try:
                getattr(self, MODE)(conn)
            except OSError:
                return

    def endless(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        frame = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
        while True:
            conn.sendall(frame)

    def stall(self, conn):
        while True:
            time.sleep(3600)

    def retry(self, conn):
        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 999999\r\n"
                     b"Content-Length: 0\r\n\r\n")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    MODE, port_file = sys.argv[1], sys.argv[2]
    if MODE not in ("endless", "stall", "retry"):
        sys.exit(f"unknown mode {MODE!r} (expected endless, stall or retry)")
    with Server(("127.0.0.1", 0), Hostile) as server:
        with open(port_file, "w") as f:
            f.write(str(server.server_address[1]))
        server.serve_forever()
