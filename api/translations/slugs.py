"""Finding an object by a translated slug (``product(slug:, slugLanguageCode: EN)``)."""

from __future__ import annotations

from .languages import stored_language
from .types import TARGETS


def original_slug(target: str, slug: str | None, language_code) -> str | None:
    """The object's own slug for ``slug`` given in ``language_code``; the slug unchanged
    when no translation of that language has it (it may be the original already)."""
    if not slug or language_code is None:
        return slug
    model = TARGETS[target]
    record = (model.objects.filter(language_code=stored_language(language_code), slug=slug)
              .select_related(target).first())
    return getattr(record, target).slug if record else slug
