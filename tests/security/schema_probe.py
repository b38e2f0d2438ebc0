"""Builds a request for any mutation of the schema with the smallest valid-looking input,
every ID in it pointing at a record the caller must not touch, and a fingerprint of the
database to tell afterwards whether anything changed.

The IDOR probes (``test_idor_*.py``) walk ``api.schema`` with it, so a mutation added
tomorrow is probed without anyone writing its test."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)

from api.schema import schema

SCHEMA = schema.graphql_schema

# What a scalar argument gets when it is required: values the services accept in shape,
# so that a refusal is about whose record it is rather than about a malformed value.
SCALARS = {
    "String": '"探针"', "Int": "1", "Float": "1.0", "Boolean": "true",
    "Decimal": '"1"', "PositiveDecimal": '"1"', "PositiveInt": "1",
    "Date": '"2026-11-01"', "DateTime": '"2026-12-01T10:00:00+08:00"',
    "JSONString": '"{}"', "JSON": "{}", "UUID": '"00000000-0000-0000-0000-000000000000"',
    "Upload": "$file", "Minute": "10", "Hour": "1", "Day": "1", "WeightScalar": "1",
}


def _id_of(argument: str, ids: dict[str, str], owner_type: str) -> str | None:
    """The victim's global ID an argument named ``argument`` takes."""
    if argument in ("id",):
        return ids.get(owner_type)
    return ids.get(argument)


def value(type_, name: str, ids: dict, owner_type: str, depth: int = 0) -> str | None:
    """A GraphQL literal for ``type_``, or None to leave an optional argument out."""
    required = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if required else type_
    named = get_named_type(inner)
    if named.name == "ID":
        found = _id_of(name, ids, owner_type)
        if found is None and not required:
            return None
        literal = f'"{found or ids["Organization"]}"'
        return f"[{literal}]" if isinstance(inner, GraphQLList) else literal
    if isinstance(inner, GraphQLList):
        item = value(inner.of_type, name, ids, owner_type, depth + 1)
        if item is None:
            return "[]" if required else None
        return f"[{item}]"
    if isinstance(named, GraphQLInputObjectType):
        if depth > 3:
            return None
        fields = []
        for field_name, field in named.fields.items():
            literal = value(field.type, field_name, ids, owner_type, depth + 1)
            if literal is not None:
                fields.append(f"{field_name}: {literal}")
        if not fields and not required:
            return None
        return "{" + ", ".join(fields) + "}"
    if not required:
        return None
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    return SCALARS.get(named.name, '"1"')


def _arguments(field, ids: dict, owner_type: str) -> str:
    arguments = []
    for argument, definition in field.args.items():
        literal = value(definition.type, argument, ids, owner_type)
        if literal is not None:
            arguments.append(f"{argument}: {literal}")
    return f"({', '.join(arguments)})" if arguments else ""


def mutation_document(name: str, ids: dict, owner_type: str) -> str:
    """The mutation with its required arguments; a required upload is the variable
    ``$file`` (send it as a multipart request)."""
    field = SCHEMA.mutation_type.fields[name]
    args = _arguments(field, ids, owner_type)
    payload = get_named_type(field.type)
    selection = "__typename"
    if isinstance(payload, GraphQLObjectType) and "errors" in payload.fields:
        selection += " errors { field code message }"
    variables = "($file: Upload!)" if "$file" in args else ""
    return f"mutation{variables} {{ {name}{args} {{ {selection} }} }}"


def query_document(name: str, ids: dict, owner_type: str) -> str:
    """The query field with its required arguments and ID arguments filled, asking for
    the IDs it answers with (a connection's nodes and count)."""
    field = SCHEMA.query_type.fields[name]
    args = _arguments(field, ids, owner_type)
    answer = get_named_type(field.type)
    if not isinstance(answer, GraphQLObjectType):
        selection = ""
    elif "edges" in answer.fields:
        first = "" if "first:" in args else "first: 10, "
        args = f"({first}{args[1:]}" if args else "(first: 10)"
        selection = "{ totalCount edges { node { id } } }" if "totalCount" in answer.fields \
            else "{ edges { node { id } } }"
    elif "id" in answer.fields:
        selection = "{ id }"
    else:
        selection = "{ __typename }"
    return f"{{ {name}{args} {selection} }}"


def id_arguments(field) -> list[str]:
    """The names of the ID-typed arguments of ``field``, inputs included (one level)."""
    names = []
    for argument, definition in field.args.items():
        named = get_named_type(definition.type)
        if named.name == "ID":
            names.append(argument)
        elif isinstance(named, GraphQLInputObjectType):
            names.extend(f"{argument}.{n}" for n, f in named.fields.items()
                         if get_named_type(f.type).name == "ID")
    return names


def refusal(result: dict, name: str) -> str | None:
    """How the answer refused the mutation (None when it did not)."""
    if result.get("errors"):
        return "error: " + result["errors"][0].get("message", "")
    payload = (result.get("data") or {}).get(name)
    if payload is None:
        return "null payload"
    if payload.get("errors"):
        return "payload errors: " + ", ".join(
            f"{e['field']}/{e['code']}" for e in payload["errors"])
    return None


FINGERPRINTED_APPS = ("shop", "catalog", "supplychain", "brand", "livestream", "content")
# Rows a refused request may leave: who asked and when (audit of the attempt itself,
# throttles, sessions, access logs), never a change to the business records.
NOISE = {"shop.accesslog", "shop.signinfailure", "shop.throttle"}


def fingerprint() -> dict[str, int]:
    """Every business table's row count and the sum of its rows' hashes: any insert,
    delete or update between two fingerprints changes it."""

    prints = {}
    with connection.cursor() as cursor:
        for label in FINGERPRINTED_APPS:
            for model in apps.get_app_config(label).get_models():
                key = model._meta.label_lower
                if key in NOISE or model._meta.proxy:
                    continue
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT count(*), coalesce(sum(hashtext(t::text)), 0) "
                               f"FROM {table} AS t")
                prints[key] = cursor.fetchone()
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before if before[k] != after.get(k))
