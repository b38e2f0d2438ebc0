"""Saleor's storefront generates its TypeScript types with ``strictScalars``: every scalar
of the schema must be one its code generator maps, or generation stops ("Unknown scalar
type"). The map is the one in Saleor storefront's ``.graphqlrc.ts``, the scalars of
Saleor's own schema."""

from graphql import GraphQLScalarType, specified_scalar_types

from api.schema import schema

SALEOR_CODEGEN_SCALARS = {
    "Date", "DateTime", "Day", "Decimal", "GenericScalar", "JSON", "JSONString", "Metadata",
    "Hour", "Minute", "PositiveInt", "PositiveDecimal", "UUID", "Upload", "WeightScalar", "_Any",
}


def test_every_custom_scalar_is_one_saleor_clients_map():
    custom = {name for name, type_ in schema.graphql_schema.type_map.items()
              if isinstance(type_, GraphQLScalarType) and name not in specified_scalar_types}
    assert custom - SALEOR_CODEGEN_SCALARS == set()
    assert {"Date", "DateTime", "UUID", "JSONString"} <= custom
