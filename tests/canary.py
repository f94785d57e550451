"""A canary HTTP server and a secret file: what a test points hostile input at, to prove that
nothing was fetched or read on the input's behalf.

The canary is a threading ``http.server`` on 127.0.0.1 that counts every connection made to
it (whatever is sent on it: an HTTP request of any method, or nothing) and records the request
lines; it answers each request with an empty SPARQL result, so a client that reaches it
would be satisfied and could not hide the request by failing. The secret is a file in the
test's temporary directory holding a random string that must never appear in any output.
"""

from __future__ import annotations

import contextlib
import http.server
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_ANSWER = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


@dataclass
class Canary:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    connections: list[str] = field(default_factory=list)  # the client address of each
    requests: list[str] = field(default_factory=list)  # "METHOD /path" of each request

    @property
    def hits(self) -> int:
        return len(self.connections)

    def assert_untouched(self, what: str = "") -> None:
        assert self.hits == 0, f"{what}: the canary was contacted: {self.requests}"


@contextlib.contextmanager
def canary_server() -> Iterator[Canary]:
    canary = Canary("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            canary.requests.append(f"{self.command} {self.path}")
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(min(length, 1 << 20))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(_ANSWER)))
            self.end_headers()
            self.wfile.write(_ANSWER)

        do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = _answer  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def verify_request(
            self, request: socket.socket | tuple[bytes, socket.socket], client_address: object
        ) -> bool:
            canary.connections.append(str(client_address))
            return True

    server = Server(("127.0.0.1", 0), Handler)
    canary.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="canary", daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class Secret:
    path: Path
    value: str

    @property
    def uri(self) -> str:
        return self.path.resolve().as_uri()

    def assert_not_in(self, *outputs: str | bytes) -> None:
        for output in outputs:
            text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
            assert self.value not in text, "the secret file's content leaked"


def make_secret(folder: Path) -> Secret:
    value = f"SECRET-{secrets.token_hex(16)}"
    path = folder / "secret.txt"
    path.write_text(value + "\n", encoding="utf-8")
    return Secret(path, value)
