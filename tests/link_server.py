"""A web server on loopback that answers as the sources articles cite do, well
and badly: for the link checker's tests, which never reach an outside host."""

import contextlib
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Path: (status, where it redirects to).
FIXED = {
    "/ok": (200, None),
    "/moved": (301, "/ok"),
    "/moved-for-good": (308, "/ok"),
    "/found": (302, "/ok"),
    "/missing": (404, None),
    "/gone": (410, None),
    "/error": (500, None),
    "/forbidden": (403, None),
    "/loop-a": (301, "/loop-b"),
    "/loop-b": (301, "/loop-a"),
}


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        server = self.server
        path = self.path.split("?")[0]
        with server.lock:
            server.requests.append((self.command, path))
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        try:
            self.respond(path, body)
        finally:
            with server.lock:
                server.in_flight -= 1

    def respond(self, path, body):
        server = self.server
        if path == "/slow":
            time.sleep(server.slow_seconds)
        elif path.startswith("/wait"):
            time.sleep(server.wait_seconds)
        elif path == "/reset":
            # Close with a TCP reset, as an overloaded server or a firewall does.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            self.connection.close()
            self.close_connection = True
            return
        elif path == "/no-head" and self.command == "HEAD":
            return self.send(405, None, body)
        status, location = server.answers.get(path) or FIXED.get(path) or (200, None)
        self.send(status, location, body)

    def send(self, status, location, body):
        self.send_response(status)
        if location:
            host = self.headers["Host"]
            self.send_header("Location", f"http://{host}{location}")
        text = b"<!doctype html><title>Source</title>" if body else b""
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body:
            self.wfile.write(text)

    def finish(self):
        # The reset closed the socket already.
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def log_message(self, format, *args):
        pass


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host="127.0.0.1"):
        super().__init__((host, 0), Handler)
        self.lock = threading.Lock()
        self.requests = []
        self.in_flight = self.most_in_flight = 0
        self.slow_seconds = 3
        self.wait_seconds = 0.3
        # Answers a test sets or changes: {path: (status, location)}.
        self.answers = {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{path}"

    def asked(self, path):
        return [method for method, asked in self.requests if asked == path]

    def handle_error(self, request, client_address):
        pass

    def stop(self):
        self.shutdown()
        self.server_close()
