"""The sandbox's HTTP server: one port, routed by path to the control API, Zalo,
Graph or the feed page.

A `ThreadingHTTPServer` with daemon threads: a handler sleeping for an injected
timeout never holds up the others, and `stop()` wakes it (it sleeps on an Event)
so shutdown is prompt. Route functions run under the state's lock; sleeps do not.
"""

import http.server
import socket
import sys
import threading
import time
import traceback

from sandbox import control, faults, graph, graph_common, pages, zalo, zalo_chat
from sandbox.simulate import Simulator
from sandbox.state import SandboxState
from sandbox.web import Match, html_response, json_response, mask_params, parse_request


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        """Clients that gave up (timeouts) are expected here: stay quiet for them."""
        if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "Sandbox/1.0"
    sys_version = ""

    def do_GET(self):
        self.respond()

    do_POST = do_DELETE = do_PUT = do_GET

    def respond(self):
        arrived = time.monotonic()
        body = self.read_body()
        request = parse_request(self.command, self.path, self.headers, body)
        response = self.server.sandbox.handle(request, arrived)
        if response is None:
            # "drop": close the connection without a single byte of answer.
            self.close_connection = True
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def read_body(self):
        """The whole body: by Content-Length, or chunk by chunk for streamed ones."""
        if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
            length = int(self.headers.get("Content-Length") or 0)
            return self.read(length) if length else b""
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()  # the empty line after the last chunk
                return b"".join(chunks)
            chunks.append(self.read(size))
            self.rfile.readline()

    def read(self, length):
        """`length` bytes, no faster than the sandbox's `bandwidth` allows."""
        link = self.server.sandbox.link
        if link is None:
            return self.rfile.read(length)
        parts = []
        while length > 0:
            part = self.rfile.read(min(length, link.PIECE))
            if not part:
                break
            link.take(len(part))
            parts.append(part)
            length -= len(part)
        return b"".join(parts)

    def log_message(self, format, *args):
        """Silent: request lines carry tokens; the calls log has them masked."""


def feed_page(state, req):
    return html_response(pages.feed(state))


def not_found(state, req):
    return html_response(pages.error_page(f"Không có trang {req.path}."), 404)


class Link:
    """One link shared by every upload: `bytes_per_second` in all, first come
    first served (a bench states the bandwidth its figures were made at)."""

    PIECE = 256 * 1024

    def __init__(self, bytes_per_second):
        self.rate = float(bytes_per_second)
        self.lock = threading.Lock()
        self.free_at = time.monotonic()

    def take(self, size):
        """Wait until `size` bytes have crossed the link."""
        with self.lock:
            start = max(time.monotonic(), self.free_at)
            self.free_at = start + size / self.rate
            done = self.free_at
        time.sleep(max(0.0, done - time.monotonic()))


class SandboxServer:
    """The sandbox, startable in a thread (tests) or in the foreground (`main`)."""

    def __init__(
        self,
        state=None,
        *,
        state_path=None,
        host="127.0.0.1",
        log=None,
        simulator=None,
        simulate_every=60.0,
        bandwidth=None,
    ):
        self.state = state if state is not None else SandboxState(state_path)
        self.host = host
        self.log = log  # called with one line per network call, tokens masked
        # A simulate.Simulator moving the counts every `simulate_every` seconds.
        self.simulator = simulator
        self.simulate_every = simulate_every
        # Bytes per second that requests' bodies cross at, None: as fast as may be.
        self.link = Link(bandwidth) if bandwidth else None
        self.stopping = threading.Event()
        self.httpd = None
        self.thread = None
        self.url = None

    def start_in_thread(self, port=0):
        """Listen on `port` (0: a free one) and serve from a daemon thread."""
        ipv6 = ":" in self.host
        self.httpd = (_HTTPServer6 if ipv6 else _HTTPServer)((self.host, port), Handler)
        self.httpd.sandbox = self
        port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown() waits at most this long
            name=f"sandbox-{port}",
            daemon=True,
        )
        self.thread.start()
        if self.simulator is not None:
            self.state.simulated = True
            threading.Thread(
                target=self.simulate, name=f"sandbox-simulation-{port}", daemon=True
            ).start()
        self.url = (
            f"http://[{self.host}]:{port}/" if ipv6 else f"http://{self.host}:{port}/"
        )
        return self.url

    def stop(self):
        """Wake sleeping handlers, stop serving, free the port."""
        self.stopping.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(5)
            self.httpd = None

    def simulate(self):
        """Step the simulation now, then every `simulate_every` s until stopped."""
        while True:
            try:
                self.simulator.step()
            except Exception:  # a sandbox bug: say so, keep serving
                traceback.print_exc()
            if not self.sleep(self.simulate_every):
                return

    def sleep(self, seconds):
        """Sleep unless stopping; False when woken by `stop()`."""
        return not self.stopping.wait(seconds)

    # Requests ---------------------------------------------------------------------
    def route(self, req):
        for router in (control.match, zalo_chat.match, zalo.match, graph.match):
            found = router(self.state, req)
            if found is not None:
                return found
        if req.path == "/" and req.method == "GET":
            return Match(None, "feed_page", feed_page)
        return Match(None, "not_found", not_found)

    def handle(self, req, arrived=None):
        """The Response for a request, or None to drop the connection."""
        with self.state.lock:
            found = self.route(req)
            fault = entry = None
            if found.network:
                fault = self.state.take_fault(found.network, found.endpoint)
                req.ctx["fault"] = fault  # the video routes act on theirs
                entry = self.log_start(found, req, fault)
        response = faults.apply(
            fault, found.network, lambda: self.run(found, req), self.sleep, arrived
        )
        if found.network:
            self.record(found, req, fault, entry, response)
        return response

    def run(self, found, req):
        with self.state.lock:
            try:
                response = found.func(self.state, req, **found.kwargs)
            except Exception as error:  # a sandbox bug: say so, loudly
                traceback.print_exc()
                body = {"error": f"sandbox bug: {type(error).__name__}: {error}"}
                return json_response(body, 500)
            if found.mutating and not found.network:
                self.state.save()
            return response

    def log_start(self, found, req, fault):
        """Log the call on arrival (status None until answered; stays None when
        the connection is dropped), so a sleeping call is already visible."""
        entry = {
            "network": found.network,
            "endpoint": found.endpoint,
            "method": req.method,
            "path": req.path,
            "status": None,
            "fault": fault["mode"] if fault else None,
            "params": mask_params(call_params(req)),
            "time": graph_common.graph_time(self.state.now()),
        }
        self.state.log_call(entry)
        return entry

    def record(self, found, req, fault, entry, response):
        """Network headers, the answer's status in the log, the state file."""
        with self.state.lock:
            if response is not None and found.network == "facebook":
                graph_common.decorate(self.state, req, response)
            elif response is not None:
                zalo.decorate(response)
            entry["status"] = response.status if response is not None else None
            if found.mutating or fault:
                self.state.save()
        if self.log:
            self.log(
                f"{entry['method']} {entry['path']} -> {entry['status']}"
                + (f" [{entry['fault']}]" if fault else "")
            )


def call_params(req):
    """The scalar parameters of a call (query, form, JSON object, headers' tokens)."""
    params = {**req.query, **req.form}
    if isinstance(req.json, dict):
        params.update(
            {k: v for k, v in req.json.items() if isinstance(v, str | int | float)}
        )
    for header in ("access_token", "secret_key"):
        if req.headers.get(header):
            params[header] = req.headers[header]
    return params


def main(
    port=8100,
    state_path=None,
    host="127.0.0.1",
    announce=print,
    log=None,
    simulate_every=None,
    bandwidth=None,
):
    """Serve in the foreground until Ctrl-C (used by `manage.py run_sandbox`);
    with `simulate_every` (seconds), simulated audiences move the counts; with
    `bandwidth` (bytes per second), uploads cross one link that fast."""
    server = SandboxServer(
        state_path=state_path, host=host, log=log, bandwidth=bandwidth
    )
    if simulate_every:
        server.simulator = Simulator(server.state)
        server.simulate_every = simulate_every
    url = server.start_in_thread(port)
    announce(url)
    try:
        while server.thread.is_alive():
            server.thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return url
