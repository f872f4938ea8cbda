"""What every local platform server of the tests shares: a threaded HTTP server on a free
port of 127.0.0.1, started and stopped with its state object, whose request handler finds
that object under the attribute the server names."""
import threading
from http.server import ThreadingHTTPServer


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that went away (a timeout, a killed worker) is part of the test


class LocalServer:
    """start/stop/url for a platform's state object; subclasses set STATE (the handler's
    attribute for the state) and return their handler class from `handler()`."""

    STATE = "state"
    server = None

    def handler(self):
        raise NotImplementedError

    def start(self):
        bound = type("Handler", (self.handler(),), {self.STATE: self})
        self.server = QuietServer(("127.0.0.1", 0), bound)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"
