"""Mail configured by EMAIL_URL leaves through SMTP: a recall notice reaches a local SMTP
server (aiosmtpd) as a Chinese message to the producer's member."""

from __future__ import annotations

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from config.mail import email_settings
from supplychain import services
from supplychain.services.recalls import notify_recall


class Inbox:
    """aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.mark.django_db
def test_a_recall_notice_goes_out_through_smtp(smtp_server, settings, graded_lot, coop,
                                                coop_user, zh_catalogue):
    controller, inbox = smtp_server
    for name, value in email_settings(
            f"smtp://127.0.0.1:{controller.port}/?from=recall%40county.cn").items():
        setattr(settings, name, value)
    recall = services.recall_lot(coop, graded_lot=graded_lot, level="level_2",
                                 reason="霉菌超标", user=coop_user)
    assert notify_recall(recall.pk) >= 1

    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    assert recipients == [coop_user.email]
    message = email.message_from_bytes(raw, policy=default_policy)
    assert message["From"] == "recall@county.cn"
    # (a long encoded subject is folded onto the next line: strip the fold)
    assert message["Subject"].strip() == f"产品召回通知：{coop.name}"
    assert "霉菌超标" in message.get_body(preferencelist=("plain",)).get_content()


def test_mail_urls():
    assert email_settings("smtps://u%40x.cn:p%3Aw@smtp.x.cn") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.x.cn", "EMAIL_PORT": 465, "EMAIL_HOST_USER": "u@x.cn",
        "EMAIL_HOST_PASSWORD": "p:w", "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 10,
    }
    assert email_settings("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
