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
limit and whose ``extensions`` carry the figure and the limit.

The work is split so that a document read once (``api.core.documents`` keeps it) is not
walked again: ``measure_operations`` reduces each operation to its figures, the cost as a
sum of terms whose page sizes still name the variables they come from, and
``limit_errors`` checks those figures against one request's variables and user."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
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


# A page size the document leaves to its variables: the ``first``/``last`` arguments of one
# field in order, each a variable's name (it decides when the request gives it an int, or
# the operation's default for it is one; else the next step is tried) or an int (a literal
# or the argument's default: it decides). No deciding step: one item.
PageSize = tuple


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class _Shape:
    """What one selection set asks for: ``cost`` maps tuples of variable page sizes (the
    connections above a field whose size a variable decides) to the fields they multiply;
    ``depth`` counts the nested selection sets from this one down; ``introspection`` the
    introspection lists nested below it."""

    cost: dict
    depth: int
    aliases: int
    introspection: int


def _add(total: dict, terms: dict, size) -> None:
    """``total += size * terms``; ``size`` an int or a variable ``PageSize``."""
    for sizes, count in terms.items():
        if isinstance(size, int):
            key, count = sizes, count * size
        else:
            key = (size, *sizes)
        total[key] = total.get(key, 0) + count


class _Walk:
    """Walks a document's operations once, each fragment measured once however often it is
    spread (so doubling fragments cannot make the walk itself expensive)."""

    def __init__(self, schema, fragments: dict):
        self.schema = schema
        self.fragments = fragments
        self.field_costs = settings.GRAPHQL_FIELD_COSTS
        self.page_cap = settings.GRAPHQL_MAX_PAGE_SIZE
        self.fragment_shapes: dict[str, _Shape] = {}

    def page_size(self, node: FieldNode, definition) -> int | PageSize:
        """The field's page size: an int when the document decides it alone."""
        if definition is None:
            return 1
        steps = []
        for name in ("first", "last"):
            if name not in definition.args:
                continue
            given = next((a for a in node.arguments or () if a.name.value == name), None)
            if given is None:
                size = _int(definition.args[name].default_value)
            elif isinstance(given.value, ast.IntValueNode):
                size = int(given.value.value)
            elif isinstance(given.value, ast.VariableNode):
                steps.append(given.value.name.value)
                continue
            else:
                size = None
            if size is not None:
                if not steps:
                    return max(1, min(size, self.page_cap))
                steps.append(size)
                break
        return tuple(steps) if steps else 1

    def selections(self, selection_set, parent_type, seen: frozenset) -> _Shape:
        cost: dict = {}
        depth = aliases = introspection = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                shape = self.field(selection, parent_type, seen)
                depth, introspection = max(depth, shape.depth), max(introspection,
                                                                      shape.introspection)
            else:
                shape = self.fragment(selection, parent_type, seen)
                if shape is None:
                    continue
                depth, introspection = max(depth, shape.depth - 1), max(introspection,
                                                                          shape.introspection)
            _add(cost, shape.cost, 1)
            aliases += shape.aliases
        return _Shape(cost, depth + 1, aliases, introspection)

    def fragment(self, selection, parent_type, seen: frozenset) -> _Shape | None:
        if isinstance(selection, InlineFragmentNode):
            fragment_type = parent_type
            if selection.type_condition is not None:
                fragment_type = self.schema.get_type(selection.type_condition.name.value)
            return self.selections(selection.selection_set, fragment_type, seen)
        if not isinstance(selection, FragmentSpreadNode):
            return None
        name = selection.name.value
        fragment = self.fragments.get(name)
        if fragment is None or name in seen:
            return None  # unknown or cyclic: reported by the standard rules
        shape = self.fragment_shapes.get(name)
        if shape is None:
            fragment_type = self.schema.get_type(fragment.type_condition.name.value)
            shape = self.selections(fragment.selection_set, fragment_type, seen | {name})
            self.fragment_shapes[name] = shape
        return shape

    def field(self, node: FieldNode, parent_type, seen: frozenset) -> _Shape:
        name = node.name.value
        definition = None
        if isinstance(parent_type, GraphQLObjectType) or hasattr(parent_type, "fields"):
            definition = parent_type.fields.get(name)
        if name == "__schema":
            definition_type = self.schema.get_type("__Schema")
        elif name == "__type":
            definition_type = self.schema.get_type("__Type")
        else:
            definition_type = get_named_type(definition.type) if definition else None
        cost = {(): self.field_costs.get(f"{getattr(parent_type, 'name', '')}.{name}", 1)}
        aliases = 1 if node.alias is not None else 0
        if node.selection_set is None:
            return _Shape(cost, 0, aliases, 0)
        children = self.selections(node.selection_set, definition_type, seen)
        _add(cost, children.cost, self.page_size(node, definition))
        nested = 1 if name in INTROSPECTION_LISTS and parent_type is not None and \
            parent_type.name.startswith("__") else 0
        return _Shape(cost, children.depth, aliases + children.aliases,
                      children.introspection + nested)


@dataclass(frozen=True)
class OperationFigures:
    """One operation's figures, independent of any request."""

    name: str | None
    top_level_fields: int
    aliases: int
    depth: int
    introspection_nesting: int
    cost: tuple  # ((variable page sizes, fields), ...)
    variable_defaults: dict  # variable -> its int default in the operation, else None

    def cost_for(self, variables: dict) -> int:
        """The cost with the page sizes ``variables`` give (an absent variable takes the
        operation's default, as execution does)."""
        page_cap = settings.GRAPHQL_MAX_PAGE_SIZE
        sizes: dict = {}
        total = 0
        for page_sizes, count in self.cost:
            for page_size in page_sizes:
                size = sizes.get(page_size)
                if size is None:
                    size = sizes[page_size] = self._size(page_size, variables, page_cap)
                count *= size
            total += count
        return total

    def _size(self, page_size: PageSize, variables: dict, page_cap: int) -> int:
        for step in page_size:
            if isinstance(step, str):
                step = _int(variables[step] if step in variables
                            else self.variable_defaults.get(step))
                if step is None:
                    continue
            return max(1, min(step, page_cap))
        return 1


def measure_operations(schema, document: ast.DocumentNode) -> tuple[OperationFigures, ...]:
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, ast.FragmentDefinitionNode)}
    walk = _Walk(schema, fragments)
    figures = []
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        shape = walk.selections(operation.selection_set,
                                schema.get_root_type(operation.operation), frozenset())
        defaults = {}
        for definition in operation.variable_definitions or ():
            value = definition.default_value
            defaults[definition.variable.name.value] = (
                int(value.value) if isinstance(value, ast.IntValueNode) else None)
        figures.append(OperationFigures(
            name=operation.name.value if operation.name is not None else None,
            top_level_fields=sum(1 for s in operation.selection_set.selections
                                 if isinstance(s, FieldNode)),
            aliases=shape.aliases, depth=shape.depth,
            introspection_nesting=shape.introspection,
            cost=tuple(shape.cost.items()), variable_defaults=defaults))
    return tuple(figures)


def limit_errors(operations: tuple[OperationFigures, ...], variables, user,
                 operation_name: str | None) -> list[QueryLimitError]:
    """The first limit the request breaks (an empty list when it keeps them all): the
    operation it names (every operation when it names none) with its variables, for
    ``user``."""
    variables = variables if isinstance(variables, dict) else {}
    for operation in operations:
        if operation_name and operation.name != operation_name:
            continue
        error = _check(operation, variables, user)
        if error is not None:
            return [error]
    return []


def _check(operation: OperationFigures, variables: dict, user) -> QueryLimitError | None:
    top, top_limit = operation.top_level_fields, settings.GRAPHQL_MAX_TOP_LEVEL_FIELDS
    if top > top_limit:
        return QueryLimitError(
            _("Too many fields at the top of one request (%(count)d; at most %(limit)d).")
            % {"count": top, "limit": top_limit}, "TOO_MANY_FIELDS", top, top_limit)
    too_deep = _("The query is nested too deeply (%(value)d levels; at most %(limit)d).")
    checks = (
        (lambda: operation.aliases, settings.GRAPHQL_MAX_ALIASES, "TOO_MANY_ALIASES",
         _("Too many aliases in one request (%(value)d; at most %(limit)d).")),
        (lambda: operation.depth, settings.GRAPHQL_MAX_DEPTH, "QUERY_TOO_DEEP", too_deep),
        (lambda: operation.introspection_nesting, MAX_INTROSPECTION_NESTING,
         "QUERY_TOO_DEEP", too_deep),
        (lambda: operation.cost_for(variables), max_cost_for(user), "QUERY_TOO_COMPLEX",
         _("The query is too complex (cost %(value)d; at most %(limit)d). Ask for smaller "
           "pages (first/last) or fewer nested lists.")),
    )
    for value, limit, code, message in checks:
        value = value()
        if value > limit:
            return QueryLimitError(message % {"value": value, "limit": limit}, code, value,
                                   limit)
    return None
