import decimal

import graphene
from graphql import GraphQLError
from graphql.language import ast


class Decimal(graphene.Scalar):
    """A decimal number, sent as a number or a string ("12.50"); kept exact, never a float."""

    @staticmethod
    def serialize(value):
        return float(value) if value is not None else None

    @staticmethod
    def parse_value(value):
        if isinstance(value, bool):
            raise GraphQLError(f"Decimal cannot represent: {value!r}")
        try:
            result = decimal.Decimal(str(value))
        except (decimal.DecimalException, TypeError, ValueError):
            raise GraphQLError(f"Decimal cannot represent: {value!r}") from None
        if not result.is_finite():
            raise GraphQLError(f"Decimal cannot represent: {value!r}")
        return result

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, (ast.FloatValueNode, ast.IntValueNode, ast.StringValueNode)):
            return cls.parse_value(node.value)
        raise GraphQLError("Decimal must be a number or a numeric string")


class PositiveDecimal(Decimal):
    """A decimal number that must not be negative (prices); negatives are caught by the
    mutation's validation so that the caller gets a field error."""
