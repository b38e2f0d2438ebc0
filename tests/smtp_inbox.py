"""A mail server of a test's own: Django's SMTP backend pointed at a free local port, where
an aiosmtpd server keeps what it receives once ``start()`` is called (until then the mail
server is down: connections are refused)."""

from __future__ import annotations

import email
import re
import socket
from email.policy import default as default_policy
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

from config.mail import email_settings


class Inbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_server(settings):
    """Generator for a fixture: yields the ``Inbox`` (with ``start()``), stops the server."""
    port = _free_port()
    for name, value in email_settings(
            f"smtp://127.0.0.1:{port}/?from=noreply%40county.cn").items():
        setattr(settings, name, value)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    started = []

    def start():
        controller.start()
        started.append(True)

    inbox.start = start
    yield inbox
    if started:
        controller.stop()


def link_query(message, page: str) -> dict:
    """The query of the link to ``page`` in a received message's text."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(page) + r"\?\S+", body).group()
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
