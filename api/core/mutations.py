"""The base of every mutation: validation errors become ``errors { field code message }``;
permission failures become top-level GraphQL errors (Saleor's behaviour)."""

from __future__ import annotations

import decimal
import logging

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DataError, transaction
from graphene.utils.str_converters import to_camel_case

from .inputs import clean_input, database_error_items, payload_models
from .permissions import PermissionDeniedError

logger = logging.getLogger("api.graphql")

# Values a service passed on that the database or the decimal arithmetic could not hold
# (a date past year 9999 once shifted to UTC, a number beyond a column's range).
OUT_OF_RANGE = (DataError, OverflowError, decimal.InvalidOperation)


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
    """The base of every mutation. A mutation declares, in its ``Meta``:

    - ``permissions``: checks run before anything else (``api.core.permissions``, e.g.
      ``(AUTHENTICATED,)`` or ``(OPERATOR,)``); checks that need the object are called from
      ``perform_mutation`` once it is loaded;
    - ``error_type_class`` (an ObjectType ``{field message code}``) and ``error_code_enum``
      (the Python enum behind it), usually inherited from its app's abstract base, which
      sets them as class attributes.

    ``perform_mutation(cls, root, info, **data)`` returns the payload; a ``ValidationError``
    becomes ``errors`` (payload otherwise null), a Django ``PermissionDenied`` from a service
    becomes the top-level permission error."""

    error_type_class = None
    error_code_enum = None
    permissions: tuple = ()

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, error_type_class=None, error_code_enum=None,
                                    permissions=None, **options):
        cls.error_type_class = error_type_class = error_type_class or cls.error_type_class
        cls.error_code_enum = error_code_enum or cls.error_code_enum
        if permissions is not None:
            cls.permissions = tuple(permissions)
        if error_type_class is not None:
            cls.errors = graphene.List(
                graphene.NonNull(error_type_class), required=True,
                description="Errors of this mutation; empty when it succeeded.",
            )
        super().__init_subclass_with_meta__(**options)

    @classmethod
    def check_permissions(cls, info):
        for check in cls.permissions:
            check(info)

    @classmethod
    def mutate(cls, root, info, **data):
        refusal = None
        try:
            cls.check_permissions(info)
            clean_input(data, payload_models(cls), cls._invalid_code())
            data = cls.before_transaction(root, info, data)
            # A savepoint, so that a value the database refuses leaves the connection
            # usable; what the mutation did before a ValidationError is kept as before.
            with transaction.atomic():
                try:
                    response = cls.perform_mutation(root, info, **data)
                except (ValidationError, PermissionDenied) as error:
                    refusal = error
        except ValidationError as error:
            return cls.handle_errors(error)
        except PermissionDenied as error:
            refusal = error
        except OUT_OF_RANGE as error:
            logger.info("%s refused a value out of range: %s", cls.__name__, error)
            field, message = database_error_items(error, data)
            return cls.handle_errors(ValidationError({field or NON_FIELD_ERRORS: ValidationError(
                message, code=cls._invalid_code())}))
        if isinstance(refusal, ValidationError):
            return cls.handle_errors(refusal)
        if isinstance(refusal, PermissionDenied):
            raise PermissionDeniedError(str(refusal) or None) from None
        if response.errors is None:
            response.errors = []
        return response

    @classmethod
    def before_transaction(cls, root, info, data: dict) -> dict:
        """What a mutation checks before its transaction opens (a refusal answered there
        costs no BEGIN and COMMIT); returns the arguments ``perform_mutation`` gets.
        Raises ``ValidationError`` or ``PermissionDenied`` like ``perform_mutation``."""
        return data

    @classmethod
    def _invalid_code(cls) -> str:
        enum = cls.error_code_enum
        return enum.INVALID.value if enum is not None else "invalid"

    @classmethod
    def handle_errors(cls, error: ValidationError):
        enum = cls.error_code_enum
        default = enum.INVALID.value if enum is not None else "invalid"
        items = []
        for item in validation_error_to_list(error, default):
            code = item["code"]
            try:
                item["code"] = enum(code) if enum is not None else code
            except ValueError:
                item["code"] = enum(default)
            items.append(cls.error_type_class(**item))
        response = cls(errors=items)
        # A payload list declared non-null is empty, not null, when the mutation failed.
        for name, field in cls._meta.fields.items():
            if name != "errors" and isinstance(field.type, graphene.NonNull) and \
                    isinstance(field.type.of_type, graphene.List) and \
                    getattr(response, name, None) is None:
                setattr(response, name, [])
        return response

    @classmethod
    def perform_mutation(cls, root, info, **data):  # pragma: no cover - abstract
        raise NotImplementedError
