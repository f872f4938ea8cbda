"""A real SMTP server (aiosmtpd) for tests: the `smtp` fixture (a pytest plugin)."""
import contextlib
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Inbox(Message):
    """An SMTP server's mailbox: every message it received."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def free_port():
    """A port nobody listens on now (aiosmtpd cannot bind port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app, inbox):
    """A real SMTP server (aiosmtpd) with this handler, which the app sends to meanwhile."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield inbox
    finally:
        app.config.update(SMTP_HOST=None)
        controller.stop()


@pytest.fixture
def smtp(app):
    """A real SMTP server that the mail worker sends to; yields its Inbox."""
    with serving(app, Inbox()) as inbox:
        yield inbox
