"""Shared GraphQL types in Saleor's shapes: Money, TaxedMoney, ranges, Image, errors."""

import graphene
from django.conf import settings

from .execution import root_only


class Money(graphene.ObjectType):
    currency = graphene.String(required=True, description="Currency code, e.g. CNY.")
    amount = graphene.Float(required=True, description="Amount of money.")

    @staticmethod
    @root_only
    def resolve_amount(root, _info):
        return float(root["amount"])


class TaxedMoney(graphene.ObjectType):
    currency = graphene.String(required=True)
    gross = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True)
    tax = graphene.Field(Money, required=True)


def money(amount, currency=None) -> dict | None:
    """A ``Money`` value from an amount (Decimal) and a currency (the default one if none);
    ``None`` when there is no amount."""
    if amount is None:
        return None
    return {"amount": amount, "currency": currency or settings.DEFAULT_CURRENCY}


def money_field(key: str, **kwargs) -> graphene.Field:
    """A ``Money`` field read from ``root[key]`` of a dict-shaped root (the figures the
    services compute), in the default currency."""
    return graphene.Field(Money, resolver=lambda root, _info: money(root[key]), **kwargs)


def taxed_money(amount, currency=None):
    """Prices in the pavilion are shown tax-inclusive; gross equals net, tax is zero."""
    currency = currency or settings.DEFAULT_CURRENCY
    money = {"amount": amount, "currency": currency}
    return {"currency": currency, "gross": money, "net": money,
            "tax": {"amount": 0, "currency": currency}}


class MoneyRange(graphene.ObjectType):
    start = graphene.Field(Money)
    stop = graphene.Field(Money)


class TaxedMoneyRange(graphene.ObjectType):
    start = graphene.Field(TaxedMoney)
    stop = graphene.Field(TaxedMoney)


class Image(graphene.ObjectType):
    url = graphene.String(required=True)
    alt = graphene.String()


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"

    @property
    def description(self):
        return {"asc": "Ascending.", "desc": "Descending."}.get(self.value)


class ThumbnailFormatEnum(graphene.Enum):
    ORIGINAL = "original"
    WEBP = "webp"
    JPEG = "jpeg"
    AVIF = "avif"


class Error(graphene.Interface):
    field = graphene.String(
        description="Name of a field that caused the error; null for non-field errors."
    )
    message = graphene.String(description="The error message.")


def error_type(name: str, code_enum: type[graphene.Enum], **extra_fields):
    """One error type per area, Saleor-style: ``ProductError { field message code }``."""
    attrs = {
        "field": graphene.String(
            description="Name of a field that caused the error; null for non-field errors."
        ),
        "message": graphene.String(description="The error message."),
        "code": graphene.Field(code_enum, required=True, description="The error code."),
        **extra_fields,
    }
    return type(name, (graphene.ObjectType,), attrs)
