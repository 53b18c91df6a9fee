"""A real SMTP server on loopback (aiosmtpd) that keeps what it is sent."""

import contextlib
import email
import socket
import time

from aiosmtpd.controller import Controller


class Inbox:
    """An SMTP server's handler that keeps what it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"

    def wait_for(self, subject_start, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, message in self.messages:
                if message["Subject"].startswith(subject_start):
                    return recipients, message
            time.sleep(0.05)
        raise AssertionError(f"No email starting “{subject_start}” arrived.")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server():
    """Yields the inbox and the port of an SMTP server, stopped afterwards."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
