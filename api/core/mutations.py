"""The base of every mutation: validation errors become ``errors { field code message }``;
permission failures become top-level GraphQL errors (Saleor's behaviour)."""

from __future__ import annotations

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from graphene.utils.str_converters import to_camel_case

from .permissions import PermissionDeniedError


def validation_error_to_list(error: ValidationError, default_code: str) -> list[dict]:
    """Flatten a Django ``ValidationError`` into Saleor error dicts (field camelCased)."""
    items = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = None if field in (NON_FIELD_ERRORS, None) else to_camel_case(field)
            for err in errors:
                items.append(_error_item(name, err, default_code))
    else:
        for err in error.error_list:
            items.append(_error_item(None, err, default_code))
    return items


def _error_item(field, err: ValidationError, default_code: str) -> dict:
    message = err.message % err.params if err.params else err.message
    code = err.code or default_code
    return {"field": field, "message": str(message), "code": code}


class BaseMutation(graphene.Mutation):
    """Subclasses define ``Arguments``, output fields, ``error_type_class`` (an ObjectType
    with ``field message code``), ``error_code_enum`` (the Python enum behind it) and
    ``perform_mutation(cls, root, info, **data)`` returning the payload."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, error_type_class=None, error_code_enum=None,
                                    **options):
        cls._error_type_class = error_type_class
        cls._error_code_enum = error_code_enum
        if error_type_class is not None:
            cls.errors = graphene.List(
                graphene.NonNull(error_type_class), required=True,
                description="Errors of this mutation; empty when it succeeded.",
            )
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            response = cls.perform_mutation(root, info, **data)
        except ValidationError as error:
            return cls.handle_errors(error)
        except PermissionDenied as error:
            raise PermissionDeniedError(str(error) or None) from None
        if response.errors is None:
            response.errors = []
        return response

    @classmethod
    def handle_errors(cls, error: ValidationError):
        enum = cls._error_code_enum
        default = enum.INVALID.value if enum is not None else "invalid"
        items = []
        for item in validation_error_to_list(error, default):
            code = item["code"]
            try:
                item["code"] = enum(code) if enum is not None else code
            except ValueError:
                item["code"] = enum(default)
            items.append(cls._error_type_class(**item))
        return cls(errors=items)

    @classmethod
    def perform_mutation(cls, root, info, **data):  # pragma: no cover - abstract
        raise NotImplementedError
