"""Writing the pavilion's content. Translation records: a producer gives its own products'
(and their variants') names and descriptions in English and Tibetan. The original text
stays on the product in Chinese; a record for ``en`` or ``bo`` overrides it where it says
something, and a record left with nothing in it is removed, so that shoppers see the
original again. Story pages (品牌故事, 产地故事): the operators write them in Chinese, with
their English and Tibetan texts kept the same way."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shop import validators
from shop.errors import field_error

from .error_codes import PageErrorCode
from .error_codes import TranslationErrorCode as E
from .models import (
    LANGUAGES,
    Page,
    PageTranslation,
    PageType,
    ProductTranslation,
    ProductVariantTranslation,
)
from .translated import ORIGINAL

# The languages a record is written for: every stored one but the original's.
TRANSLATED_LANGUAGES = [code for code, _name in LANGUAGES if code != ORIGINAL]
# A description of a few pages at most, as the catalogue allows for the original.
DESCRIPTION_LIMIT = 100_000


def _text(value, field: str, max_length: int) -> str:
    return validators.clean_text(value, field, E.INVALID, max_length=max_length)


def _keep(model, lookup: dict, language_code: str, values: dict):
    """Write ``values`` onto the record of ``lookup`` in ``language_code``; a record with
    no text left in any of its fields (those given here and the rest, such as a translated
    slug) is removed. The record, or ``None`` once removed or never needed."""
    record = model.objects.select_for_update().filter(
        **lookup, language_code=language_code).first()
    if record is None:
        if not any(values.values()):
            return None
        record = model(**lookup, language_code=language_code)
    for field, value in values.items():
        setattr(record, field, value)
    texts = [f.attname for f in model._meta.concrete_fields
             if f.get_internal_type() in ("CharField", "TextField", "SlugField")
             and f.attname != "language_code"]
    if not any(getattr(record, field) for field in texts):
        if record.pk:
            record.delete()
        return None
    record.save()
    return record


@transaction.atomic
def translate_product(organization, product, language_code: str, *, name: str | None = None,
                      description: str | None = None, seo_title: str | None = None,
                      seo_description: str | None = None, variant_names: dict | None = None):
    """Set ``product``'s texts in ``language_code`` (``en`` or ``bo``): those given (``None``
    keeps what is stored; an empty text clears it) and, in ``variant_names`` (``{variant
    pk: name}``), the names of some of its variants. ``organization`` is the caller's:
    another organisation's product is not found."""
    if organization is None or product.organization_id != organization.pk:
        raise field_error("id", _("Couldn't find the requested object."), E.NOT_FOUND)
    if language_code not in TRANSLATED_LANGUAGES:
        raise field_error("languageCode", _("Translations are kept in English and Tibetan; "
                                            "the original is in Chinese."), E.INVALID)
    given = {"name": name, "description": description, "seo_title": seo_title,
             "seo_description": seo_description}
    limits = {field: ProductTranslation._meta.get_field(field).max_length or DESCRIPTION_LIMIT
              for field in given}
    record = _keep(ProductTranslation, {"product": product}, language_code, {
        field: _text(value, field, limits[field])
        for field, value in given.items() if value is not None})
    if variant_names:
        variants = set(product.variants.filter(pk__in=list(variant_names))
                       .values_list("pk", flat=True))
        limit = ProductVariantTranslation._meta.get_field("name").max_length
        for pk, variant_name in variant_names.items():
            field = f"variant_{pk}"
            if pk not in variants:
                raise field_error(field, _("Couldn't find the requested object."), E.NOT_FOUND)
            _keep(ProductVariantTranslation, {"product_variant_id": pk}, language_code,
                  {"name": _text(variant_name, field, limit)})
    return record


# Story pages ----------------------------------------------------------------------------

# The kind every page written on the workbench gets unless told otherwise (the demo's too).
STORY_TYPE = ("story", "故事")


def _page_text(value, field: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise field_error(field, _("This field is required."), PageErrorCode.REQUIRED)
    limit = Page._meta.get_field(field).max_length or DESCRIPTION_LIMIT
    return validators.clean_text(text, field, PageErrorCode.INVALID, max_length=limit)


def _page_slug(value, title: str, page: Page | None) -> str:
    """The page's address: the one given, else one made from the title (Chinese kept, as
    the shop's other addresses do). Two pages never share one."""
    given = str(value or "").strip()
    slug = slugify(given or title, allow_unicode=True)[:Page._meta.get_field("slug").max_length]
    if given and slug != given:
        raise field_error("slug", _("Use only letters, digits, hyphens and underscores in "
                                    "the address."), PageErrorCode.INVALID)
    if not slug:
        raise field_error("slug", _("Give the page an address."), PageErrorCode.REQUIRED)
    taken = Page.objects.filter(slug=slug)
    if page is not None:
        taken = taken.exclude(pk=page.pk)
    if taken.exists():
        raise field_error("slug", _("Another page already uses this address."),
                          PageErrorCode.UNIQUE)
    return slug


@transaction.atomic
def save_page(page: Page | None, *, title, content="", slug=None, seo_title="",
              seo_description="", is_published=True) -> Page:
    """Create a story page (``page`` is ``None``) or change one: its title, address,
    paragraphs (blank lines between them), search-engine texts and whether shoppers see it.
    The address, when not given, is made from the title."""
    if page is not None:
        page = Page.objects.select_for_update().get(pk=page.pk)
    title = _page_text(title, "title", required=True)
    values = {
        "title": title,
        "slug": _page_slug(slug, title, page),
        "content": _page_text(content, "content"),
        "seo_title": _page_text(seo_title, "seo_title"),
        "seo_description": _page_text(seo_description, "seo_description"),
        "is_published": bool(is_published),
    }
    if page is None:
        page_type, _created = PageType.objects.get_or_create(
            slug=STORY_TYPE[0], defaults={"name": STORY_TYPE[1]})
        return Page.objects.create(page_type=page_type, **values)
    for field, value in values.items():
        setattr(page, field, value)
    page.save()
    return page


@transaction.atomic
def translate_page(page: Page, language_code: str, *, title=None, content=None):
    """Set the page's title and paragraphs in ``language_code`` (``en`` or ``bo``); both
    empty removes the translation, and shoppers reading that language see the Chinese."""
    if language_code not in TRANSLATED_LANGUAGES:
        raise field_error("languageCode", _("Translations are kept in English and Tibetan; "
                                            "the original is in Chinese."), E.INVALID)
    limit = PageTranslation._meta.get_field("title").max_length
    values = {}
    if title is not None:
        values["title"] = _text(title, "title", limit)
    if content is not None:
        values["content"] = _text(content, "content", DESCRIPTION_LIMIT)
    return _keep(PageTranslation, {"page": page}, language_code, values)


@transaction.atomic
def delete_page(page: Page) -> None:
    """Remove the page, its translations and the menu items that led to it."""
    Page.objects.filter(pk=page.pk).delete()
