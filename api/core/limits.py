"""What one request to ``/graphql/`` may ask for, checked before anything runs.

A query's cost is estimated from the document the way Saleor's query cost does: every
field counts one (or its ``Type.field`` entry in ``GRAPHQL_FIELD_COSTS``), times the page sizes
(``first``/``last``, from a literal or a variable) of all the connections above it. So
``pavilion → products(first: 100) → pavilion → products(first: 100)`` costs ten thousand
times its innermost fields and is refused, while a shop page of 24 products costs a few
hundred. Besides the cost, a document is held to a size, a nesting depth, a number of
top-level fields and a number of aliases (500 aliases of one field are 500 fields).

The limits are settings (``api/conf.py``); operators get ``GRAPHQL_MAX_COST_OPERATOR``.
A refusal is a GraphQL error without a path (HTTP 400) whose ``extensions.code`` names the
limit and whose ``extensions`` carry the figure and the limit."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
    get_named_type,
    specified_rules,
)
from graphql.language import ast

# Introspection lists that lead back to types; nesting them more deeply than GraphiQL's
# own introspection query (types → fields → args) only repeats the schema.
INTROSPECTION_LISTS = frozenset({"types", "fields", "inputFields", "args", "interfaces",
                                 "possibleTypes", "enumValues"})
MAX_INTROSPECTION_NESTING = 3


class QueryLimitError(GraphQLError):
    def __init__(self, message: str, code: str, value: int, limit: int):
        super().__init__(message, extensions={"code": code, "value": value, "limit": limit})


def document_too_large(query: str) -> QueryLimitError | None:
    limit = settings.GRAPHQL_MAX_DOCUMENT_BYTES
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limit:
        return QueryLimitError(
            _("The query is too long (%(size)d bytes; at most %(limit)d).")
            % {"size": size, "limit": limit}, "QUERY_TOO_LARGE", size, limit)
    return None


def max_cost_for(user) -> int:
    if getattr(user, "is_authenticated", False) and getattr(user, "is_operator", False):
        return settings.GRAPHQL_MAX_COST_OPERATOR
    return settings.GRAPHQL_MAX_COST


def _int_argument(node: ast.ValueNode | None, variables: dict) -> int | None:
    if isinstance(node, ast.IntValueNode):
        return int(node.value)
    if isinstance(node, ast.VariableNode):
        value = variables.get(node.name.value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


class _Measure:
    """Walks one operation once, fragments expanded, counting cost, depth and aliases."""

    def __init__(self, schema, fragments: dict, variables: dict):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables or {}
        self.field_costs = settings.GRAPHQL_FIELD_COSTS
        self.page_cap = settings.GRAPHQL_MAX_PAGE_SIZE
        self.depth = 0
        self.aliases = 0
        self.introspection_nesting = 0

    def page_size(self, node: FieldNode, definition) -> int:
        if definition is None:
            return 1
        for name in ("first", "last"):
            if name not in definition.args:
                continue
            given = next((a for a in node.arguments or () if a.name.value == name), None)
            size = _int_argument(given.value, self.variables) if given else None
            if size is None and given is None:
                default = definition.args[name].default_value
                size = default if isinstance(default, int) else None
            if size is not None:
                return max(1, min(size, self.page_cap))
        return 1

    def selection_cost(self, selection_set, parent_type, depth: int, introspection: int,
                       seen: frozenset) -> int:
        if selection_set is None:
            return 0
        self.depth = max(self.depth, depth)
        self.introspection_nesting = max(self.introspection_nesting, introspection)
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent_type, depth, introspection, seen)
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = parent_type
                if selection.type_condition is not None:
                    fragment_type = self.schema.get_type(selection.type_condition.name.value)
                total += self.selection_cost(selection.selection_set, fragment_type, depth,
                                             introspection, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic: reported by the standard rules
                fragment_type = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selection_cost(fragment.selection_set, fragment_type, depth,
                                             introspection, seen | {name})
        return total

    def field_cost(self, node: FieldNode, parent_type, depth: int, introspection: int,
                   seen: frozenset) -> int:
        name = node.name.value
        if node.alias is not None:
            self.aliases += 1
        definition = None
        if isinstance(parent_type, GraphQLObjectType) or hasattr(parent_type, "fields"):
            definition = parent_type.fields.get(name)
        if name == "__schema":
            definition_type = self.schema.get_type("__Schema")
        elif name == "__type":
            definition_type = self.schema.get_type("__Type")
        else:
            definition_type = get_named_type(definition.type) if definition else None
        if name in INTROSPECTION_LISTS and parent_type is not None and \
                parent_type.name.startswith("__"):
            introspection += 1
        own = self.field_costs.get(f"{getattr(parent_type, 'name', '')}.{name}", 1)
        size = self.page_size(node, definition)
        children = self.selection_cost(node.selection_set, definition_type, depth + 1,
                                       introspection, seen)
        return own + size * children


def limits_rule(variables: dict | None, user, operation_name: str | None):
    """A validation rule holding the document's operation to the limits for ``user``."""

    class QueryLimits(ValidationRule):
        def enter_document(self, node, *_args):
            context = self.context
            operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
            if operation_name:
                operations = [o for o in operations
                              if o.name is not None and o.name.value == operation_name]
            fragments = {d.name.value: d for d in node.definitions
                         if isinstance(d, ast.FragmentDefinitionNode)}
            schema = context.schema
            for operation in operations:
                root = schema.get_root_type(operation.operation)
                for error in _check(schema, root, operation, fragments, variables or {}, user):
                    context.report_error(error)
                    return self.BREAK
            return None

    return QueryLimits


def _check(schema, root, operation, fragments, variables, user):
    top = sum(1 for s in operation.selection_set.selections if isinstance(s, FieldNode))
    top_limit = settings.GRAPHQL_MAX_TOP_LEVEL_FIELDS
    if top > top_limit:
        yield QueryLimitError(
            _("Too many fields at the top of one request (%(count)d; at most %(limit)d).")
            % {"count": top, "limit": top_limit}, "TOO_MANY_FIELDS", top, top_limit)
        return
    measure = _Measure(schema, fragments, variables)
    cost = measure.selection_cost(operation.selection_set, root, 1, 0, frozenset())
    checks = (
        (measure.aliases, settings.GRAPHQL_MAX_ALIASES, "TOO_MANY_ALIASES",
         _("Too many aliases in one request (%(value)d; at most %(limit)d).")),
        (measure.depth, settings.GRAPHQL_MAX_DEPTH, "QUERY_TOO_DEEP",
         _("The query is nested too deeply (%(value)d levels; at most %(limit)d).")),
        (measure.introspection_nesting, MAX_INTROSPECTION_NESTING, "QUERY_TOO_DEEP",
         _("The query is nested too deeply (%(value)d levels; at most %(limit)d).")),
        (cost, max_cost_for(user), "QUERY_TOO_COMPLEX",
         _("The query is too complex (cost %(value)d; at most %(limit)d). Ask for smaller "
           "pages (first/last) or fewer nested lists.")),
    )
    for value, limit, code, message in checks:
        if value > limit:
            yield QueryLimitError(message % {"value": value, "limit": limit}, code, value, limit)
            return


def validation_rules(variables, user, operation_name):
    variables = variables if isinstance(variables, dict) else {}
    return (*specified_rules, limits_rule(variables, user, operation_name))
