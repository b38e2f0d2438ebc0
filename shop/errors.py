"""The one way a service reports a user's mistake: a Django ``ValidationError`` carrying the
field it concerns (``None`` for the whole input), a message in the user's language and the
area's error code. The API turns it into Saleor's ``errors { field code message }``; the
pages show the same message next to the same field."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import ValidationError


def field_error(field: str | None, message, code: Enum | str, **params) -> ValidationError:
    """A ``ValidationError`` for ``field`` (or for the whole input when ``field`` is None)."""
    code = code.value if isinstance(code, Enum) else code
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: error}) if field else error
