"""The input cleaning every mutation gets before its own code runs (``BaseMutation``).

Text that no column can hold or no person types is refused as a field error, never cut
short: NUL characters (PostgreSQL refuses them), lone UTF-16 surrogates (not encodable),
and strings longer than the model field they land in. The model is found from the
mutation's payload (``productCreate`` returns a ``Product`` node backed by
``catalog.Product``), an input key naming a model field is held to that field's
``max_length`` (and a decimal to its ``max_digits``/``decimal_places``); a nested input
naming a relation is held to the related model. Any other string is held to
``GRAPHQL_MAX_STRING_LENGTH``.

What is left for the database to refuse (a value out of a column's range) is turned into a
field error by ``BaseMutation`` too (``database_error_items``)."""

from __future__ import annotations

import decimal
import re
from functools import cache

import graphene
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from graphene.utils.str_converters import to_camel_case

DEFAULT_MAX_STRING_LENGTH = 100_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_LONG = re.compile(r"character varying\((\d+)\)")


def _graphene_type(field_type):
    while True:
        if callable(field_type) and not isinstance(field_type, type):
            field_type = field_type()
        elif isinstance(field_type, str):
            return None
        elif isinstance(field_type, (graphene.NonNull, graphene.List)):
            field_type = field_type.of_type
        else:
            return field_type


@cache
def payload_models(mutation_class) -> tuple:
    """The models behind the node fields of a mutation's payload."""
    found = []
    for field in mutation_class._meta.fields.values():
        try:
            node_type = _graphene_type(field.type)
        except Exception:  # a type that cannot be resolved names no model
            continue
        model = getattr(getattr(node_type, "_meta", None), "model", None)
        if model is not None and model not in found:
            found.append(model)
    return tuple(found)


def _model_field(candidates, key: str):
    for model in candidates:
        try:
            return model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
    return None


def _path_name(path: list) -> str:
    """The camelCased name a field error carries: the innermost named key."""
    names = [p for p in path if isinstance(p, str)]
    return to_camel_case(names[-1]) if names else None


def _refuse(path, message, code):
    return ValidationError({_path_name(path) or "input": ValidationError(message, code=code)})


def _check_string(value: str, path: list, field, invalid: str):
    if "\x00" in value:
        raise _refuse(path, _("Text must not contain NUL characters."), invalid)
    if _SURROGATE.search(value):
        raise _refuse(path, _("Text contains characters that are not valid Unicode."),
                      invalid)
    limit = getattr(field, "max_length", None) if isinstance(
        field, (models.CharField, models.TextField)) else None
    limit = limit or getattr(settings, "GRAPHQL_MAX_STRING_LENGTH", DEFAULT_MAX_STRING_LENGTH)
    if len(value) > limit:
        raise _refuse(path, _("Ensure this value has at most %(limit)d characters (it has "
                              "%(length)d).") % {"limit": limit, "length": len(value)}, invalid)


def _check_decimal(value: decimal.Decimal, path: list, field, invalid: str):
    if not isinstance(field, models.DecimalField):
        return
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise _refuse(path, _("Enter a number."), invalid)
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > field.decimal_places or whole > field.max_digits - field.decimal_places:
        raise _refuse(path, _("Enter a number with at most %(whole)d digits before and "
                              "%(places)d after the decimal point.")
                      % {"whole": field.max_digits - field.decimal_places,
                         "places": field.decimal_places}, invalid)


def clean_input(value, candidates: tuple, invalid: str, path=None, field=None):
    """Refuse (``ValidationError`` with ``invalid`` as code) what no column can hold."""
    path = path or []
    if isinstance(value, str):
        _check_string(value, path, field, invalid)
    elif isinstance(value, decimal.Decimal):
        _check_decimal(value, path, field, invalid)
    elif isinstance(value, dict):
        for key, item in dict.items(value):  # an input may have a field named "items"
            if not isinstance(key, str):
                continue
            item_field = _model_field(candidates, key)
            related = getattr(item_field, "related_model", None)
            nested = (related,) if isinstance(related, type) else candidates
            if isinstance(item, (dict, list)) and related is not None:
                clean_input(item, nested, invalid, [*path, key], None)
            else:
                clean_input(item, candidates, invalid, [*path, key], item_field)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            clean_input(item, candidates, invalid, [*path, index], field)


def database_error_items(error: Exception, data: dict) -> tuple[str | None, str]:
    """The field a database refusal is most likely about, and a message for the caller."""
    match = _TOO_LONG.search(str(error))
    if match:
        limit = int(match.group(1))
        for path, value in _strings(data, []):
            if len(value) > limit:
                return _path_name(path), _("Ensure this value has at most %(limit)d "
                                           "characters.") % {"limit": limit}
    return None, _("A value is out of the range this field accepts.")


def _strings(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in dict.items(value):  # an input may have a field named "items"
            yield from _strings(item, [*path, key])
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, [*path, index])
