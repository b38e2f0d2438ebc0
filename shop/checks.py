"""Deployment checks (``manage.py check --deploy``) that tell the operator what keeps the
shop from working, before a shopper finds out. Deploy-only: a developer's machine and the
tests run without Alipay's keys on purpose."""

from __future__ import annotations

from django.core.checks import Warning


def alipay_configured(app_configs=None, **kwargs) -> list[Warning]:
    """Missing Alipay settings: shoppers are told only that Alipay cannot be used now."""
    from .services.payments import configuration_problems

    return [Warning(problem, hint=None, id="shop.W001") for problem in configuration_problems()]
