"""Saleor's ``Shop``: what a storefront reads about the shop as a whole, from the data the
pavilion already keeps: its name and slogan from the first published pavilion, countries,
currencies and carriers from the active channels, languages from the settings. What it does not
keep (a structured company address, mail sender settings) is null."""

from importlib import metadata

import graphene
from django.conf import settings
from django.contrib.auth.models import Permission as PermissionModel
from django.utils import translation
from django.utils.translation import gettext as _

from api.core.permissions import current_user, is_order_staff
from api.translations.languages import LanguageCodeEnum, LanguageDisplay, stored_language
from catalog.models import Pavilion
from shop.models import Channel
from shop.models import ShippingMethod as ShippingMethodModel
from shop.pickup import PICKUP_CARRIER

from .accounts import CountryDisplay
from .checkout import Address, ShippingMethod


def _country(code: str) -> CountryDisplay:
    names = {"CN": _("China")}
    return CountryDisplay(code=code, country=str(names.get(code, code)))


def _version() -> str:
    try:
        return metadata.version("county-pavilion")
    except metadata.PackageNotFoundError:
        return ""


class Permission(graphene.ObjectType):
    code = graphene.String(required=True, description="The permission's code name.")
    name = graphene.String(required=True)


class Shop(graphene.ObjectType):
    name = graphene.String(required=True, description="The pavilion's name.")
    description = graphene.String(description="The pavilion's slogan.")
    default_country = graphene.Field(CountryDisplay)
    countries = graphene.List(
        graphene.NonNull(CountryDisplay), required=True,
        language_code=graphene.Argument(LanguageCodeEnum, description=(
            "The language of the countries' names (the request's language by default).")),
        description="Countries the shop's channels deliver to.")
    languages = graphene.List(graphene.NonNull(LanguageDisplay), required=True,
                              description="Languages the shop is read in.")
    default_mail_sender_name = graphene.String(description="Not kept: null.")
    default_mail_sender_address = graphene.String(description="Not kept: null.")
    channel_currencies = graphene.List(graphene.NonNull(graphene.String), required=True,
                                       description="Currencies of the active channels.")
    version = graphene.String(required=True, description="The API's version.")
    company_address = graphene.Field(Address, description="Not kept as an address: null.")
    permissions = graphene.List(graphene.NonNull(Permission), required=True, description=(
        "The permissions staff may hold; an empty list for anyone else."))

    available_shipping_methods = graphene.List(
        graphene.NonNull(ShippingMethod), channel=graphene.String(required=True),
        description=("The channel's carriers, each priced from its lowest first-weight rate "
                     "(a checkout prices them for its own address and weight); pick-up "
                     "points are offered by a checkout only."))

    @staticmethod
    def resolve_available_shipping_methods(_root, _info, channel):
        methods = ShippingMethodModel.objects.filter(
            channel__slug=channel, channel__is_active=True, is_active=True).exclude(
            carrier=PICKUP_CARRIER).prefetch_related("rates").order_by("pk")
        return [(method, min((rate.first_price for rate in method.rates.all()), default=0))
                for method in methods]

    @staticmethod
    def resolve_name(_root, _info):
        pavilion = Pavilion.objects.filter(is_published=True).first()
        return pavilion.name if pavilion else _("Specialty pavilion")

    @staticmethod
    def resolve_description(_root, _info):
        pavilion = Pavilion.objects.filter(is_published=True).first()
        return (pavilion.slogan or None) if pavilion else None

    @staticmethod
    def resolve_default_country(_root, _info):
        channel = Channel.objects.filter(is_active=True).order_by("pk").first()
        return _country(channel.default_country if channel else "CN")

    @staticmethod
    def resolve_countries(_root, _info, language_code=None):
        codes = sorted(set(Channel.objects.filter(is_active=True).values_list(
            "default_country", flat=True))) or ["CN"]
        if language_code is None:
            return [_country(code) for code in codes]
        with translation.override(stored_language(language_code)):
            return [_country(code) for code in codes]

    @staticmethod
    def resolve_languages(_root, _info):
        return [LanguageDisplay.of(code) for code, _name in settings.LANGUAGES]

    resolve_default_mail_sender_name = staticmethod(lambda _root, _info: None)
    resolve_default_mail_sender_address = staticmethod(lambda _root, _info: None)
    resolve_company_address = staticmethod(lambda _root, _info: None)

    @staticmethod
    def resolve_channel_currencies(_root, _info):
        return sorted(set(Channel.objects.filter(is_active=True).values_list(
            "currency_code", flat=True)))

    @staticmethod
    def resolve_version(_root, _info):
        return _version()

    @staticmethod
    def resolve_permissions(_root, info):
        if not is_order_staff(current_user(info)):
            return []
        return [Permission(code=p.codename.upper(), name=p.name)
                for p in PermissionModel.objects.order_by("content_type__app_label", "codename")]
