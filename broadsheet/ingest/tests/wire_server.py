"""A real HTTP server on 127.0.0.1 for the wire tests: routes set per test, requests recorded."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "wire"


@dataclass
class Route:
    """What one path answers: a status, a body, and an optional delay before answering."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/xml"
    delay: float = 0.0
    etag: bool = True


@dataclass
class WireServer:
    """The server, its routes and the headers of every request it received."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        """The address of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def serve_file(self, path: str, name: str, content_type: str = "application/xml") -> str:
        """Answer `path` with a file from tests/data/wire; return its URL."""
        self.routes[path] = Route(body=(DATA / name).read_bytes(), content_type=content_type)
        return self.url(path)

    def headers_for(self, path: str) -> list[dict[str, str]]:
        """The headers of each request for `path`, in order."""
        return [headers for got, headers in self.requests if got == path]


def _handler(server: WireServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's spelling)
            server.requests.append((self.path, dict(self.headers.items())))
            route = server.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            if route.etag and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.etag and route.status == 200:
                self.send_header("ETag", tag)
                self.send_header("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout or size-limit test)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass

    return Handler


def start() -> tuple[WireServer, ThreadingHTTPServer]:
    """Start a server on an ephemeral port in a daemon thread."""
    state = WireServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return state, httpd
