"""The GraphQL execution context: ``graphql-sync-dataloaders``' deferred execution,
adapted to graphql-core 3.2.4+ (where ``handle_field_error`` takes the field's path), and
working out each field of the document once per request rather than once per object: a
page of 100 products resolves ``name`` 100 times, but its definition, its resolver and its
arguments (fixed for the request: the document and the variables do not change) are
looked up the first time only.

Shortcuts for what most fields of a page are:

- a scalar or enum field is serialized here, not through graphql-core's general
  ``complete_value`` (same checks, same messages);
- a field left to graphene's default resolver (the attribute or dict key of the same
  name, through the ``ChannelContext`` for channel-scoped types) is read directly, and a
  scalar one right in the loop over an object's fields, without a resolve info or a path
  (built only for an error);
- a scalar field whose resolver is marked ``@root_only`` (it reads nothing but its root)
  is called without building a resolve info.

None of them when there is GraphQL middleware (the debug toolbar's): then every field goes
through it."""

from __future__ import annotations

from enum import Enum
from functools import partial

from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    GraphQLResolveInfo,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    located_error,
)
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, inspect
from graphql_sync_dataloaders import DeferredExecutionContext, SyncFuture

from .context import ChannelContext
from .nodes import node_attribute_resolver

_PENDING = object()

# Paths and resolve infos are named tuples, built here without the Python-level
# ``__new__`` named tuples have: a page of products makes thousands of each.
_new_tuple = tuple.__new__
_INFO_HEAD = ("field_name", "field_nodes", "return_type", "parent_type", "path")
_INFO_TAIL = ("schema", "fragments", "root_value", "operation", "variable_values", "context",
              "is_awaitable")
assert GraphQLResolveInfo._fields == _INFO_HEAD + _INFO_TAIL
assert Path._fields == ("prev", "key", "typename")

# Argument values a resolver cannot change in place, so one dict serves every call.
_IMMUTABLE = (str, int, float, bool, type(None), Enum)

# What ``complete_value`` does with a value of a return type.
_NON_NULL, _LIST, _LEAF, _ABSTRACT, _OBJECT = range(5)
_DEFAULT_RESOLVERS = {dict_or_attr_resolver: False, node_attribute_resolver: True}


def _kind(return_type) -> int:
    if is_non_null_type(return_type):
        return _NON_NULL
    if is_list_type(return_type):
        return _LIST
    if is_leaf_type(return_type):
        return _LEAF
    return _ABSTRACT if is_abstract_type(return_type) else _OBJECT


def root_only(resolver):
    """Mark a scalar field's resolver as reading only its root (its ``info`` is None)."""
    resolver.root_only = True
    return resolver


def _attribute(resolve_fn):
    """``(name, default, through ChannelContext)`` when ``resolve_fn`` is graphene's
    default resolver (or ours for channel-scoped types) bound to a field, else None."""
    if isinstance(resolve_fn, partial) and resolve_fn.func in _DEFAULT_RESOLVERS \
            and len(resolve_fn.args) == 2 and not resolve_fn.keywords:
        name, default = resolve_fn.args
        return name, default, _DEFAULT_RESOLVERS[resolve_fn.func]
    return None


class _Field:
    """A field of the document under one parent type, worked out once per request."""

    __slots__ = ("nodes", "definition", "resolve", "args", "leaf", "non_null", "attribute",
                 "name", "root_only", "read")

    def __init__(self, nodes, definition, resolve, middleware: bool):
        self.nodes = nodes
        self.definition = definition
        self.resolve = resolve
        self.args = None  # worked out on the first call (kept when immutable)
        self.name = nodes[0].name.value
        return_type = definition.type
        self.non_null = is_non_null_type(return_type)
        named = return_type.of_type if self.non_null else return_type
        self.leaf = named if is_leaf_type(named) else None
        self.attribute = None if middleware else _attribute(resolve)
        self.root_only = self.leaf is not None and not middleware and \
            not definition.args and getattr(resolve, "root_only", False)
        # A scalar read straight from its root, in the loop over the object's fields.
        self.read = self.leaf is not None and self.attribute is not None


class ExecutionContext(DeferredExecutionContext):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (parent type, id of the field's node list) -> _Field. graphql-core keeps each
        # node list for the whole request (its sub-fields cache), so its id stays its own.
        self._fields: dict = {}
        self._kinds: dict = {}
        # (parent type, id of an object's collected fields) -> (the fields, [(response
        # name, node list, _Field or None)]).
        self._selections: dict = {}
        self._info_tail = (self.schema, self.fragments, self.root_value, self.operation,
                           self.variable_values, self.context_value, self.is_awaitable)

    def build_resolve_info(self, field_def, field_nodes, parent_type, path):
        return _new_tuple(GraphQLResolveInfo, (
            field_nodes[0].name.value, field_nodes, field_def.type, parent_type, path,
            *self._info_tail))

    def handle_field_error(self, error, return_type, path=None):
        # The library calls the two-argument form of graphql-core <= 3.2.3; without a path
        # the error is still collected (only the de-duplication by position is skipped).
        return super().handle_field_error(error, return_type, path)

    def _selection(self, parent_type, fields: dict) -> list:
        key = (parent_type, id(fields))
        selection = self._selections.get(key)
        if selection is None or selection[0] is not fields:
            selection = self._selections[key] = (fields, [
                (name, nodes, self._field(parent_type, nodes)) for name, nodes in fields.items()])
        return selection[1]

    def execute_fields_serially(self, parent_type, source_value, path, fields):
        """``DeferredExecutionContext.execute_fields_serially``, reading scalar attributes
        in place."""
        results = {}
        unresolved = 0
        future = None
        for response_name, field_nodes, field in self._selection(parent_type, fields):
            if field is None:
                continue
            if field.read:
                name, default, through_context = field.attribute
                target = source_value.node if through_context and \
                    isinstance(source_value, ChannelContext) else source_value
                try:
                    results[response_name] = self._complete_leaf(
                        field, parent_type, target.get(name, default)
                        if isinstance(target, dict) else getattr(target, name, default))
                except Exception as raw_error:
                    field_path = _new_tuple(Path, (path, response_name, parent_type.name))
                    self.handle_field_error(
                        located_error(raw_error, field_nodes, field_path.as_list()),
                        field.definition.type)
                    results[response_name] = None
                continue
            result = self._execute(field, parent_type, source_value, field_nodes,
                                   _new_tuple(Path, (path, response_name, parent_type.name)))
            if isinstance(result, SyncFuture):
                if result.done():
                    result = result.result()
                    if result is not Undefined:
                        results[response_name] = result
                    continue
                # A placeholder keeps the fields in order.
                results[response_name] = _PENDING
                if future is None:
                    future = SyncFuture()

                def resolved(response_name, result, future):
                    nonlocal unresolved
                    value = result.result()
                    if value is not Undefined:
                        results[response_name] = value
                    else:
                        del results[response_name]
                    unresolved -= 1
                    if not unresolved:
                        future.set_result(results)

                unresolved += 1
                result.add_done_callback(partial(resolved, response_name, result, future))
            elif result is not Undefined:
                results[response_name] = result
        if not unresolved:
            return results
        return future

    execute_fields = execute_fields_serially

    def _field(self, parent_type, field_nodes) -> _Field | None:
        key = (parent_type, id(field_nodes))
        field = self._fields.get(key)
        if field is not None and field.nodes is field_nodes:
            return field
        field_def = get_field_def(self.schema, parent_type, field_nodes[0])
        if not field_def:
            return None
        resolve_fn = field_def.resolve or self.field_resolver
        # graphene-django passes its (usually empty) middleware list: an empty manager
        # wraps nothing.
        middleware = self.middleware_manager is not None and \
            bool(self.middleware_manager.middlewares)
        if middleware:
            resolve_fn = self.middleware_manager.get_field_resolver(resolve_fn)
        field = self._fields[key] = _Field(field_nodes, field_def, resolve_fn, middleware)
        return field

    def execute_field(self, parent_type, source, field_nodes, path):
        field = self._field(parent_type, field_nodes)
        if field is None:
            return Undefined
        return self._execute(field, parent_type, source, field_nodes, path)

    def _execute(self, field: _Field, parent_type, source, field_nodes, path):
        """``DeferredExecutionContext.execute_field`` with the field worked out once."""
        return_type = field.definition.type
        try:
            if field.root_only:
                return self._complete_leaf(field, parent_type, field.resolve(source, None))
            if field.attribute is not None:
                name, default, through_context = field.attribute
                target = source.node if through_context and isinstance(source, ChannelContext) \
                    else source
                result = target.get(name, default) if isinstance(target, dict) \
                    else getattr(target, name, default)
                if field.leaf is not None:
                    return self._complete_leaf(field, parent_type, result)
                info = self.build_resolve_info(field.definition, field_nodes, parent_type,
                                               path)
            else:
                info = self.build_resolve_info(field.definition, field_nodes, parent_type,
                                               path)
                args = field.args
                if args is None:
                    args = get_argument_values(field.definition, field_nodes[0],
                                               self.variable_values)
                    if all(isinstance(value, _IMMUTABLE) for value in args.values()):
                        field.args = args
                result = field.resolve(source, info, **args)
                if isinstance(result, SyncFuture):
                    if not result.done():
                        return self._complete_later(result, return_type, field_nodes, info,
                                                    path)
                    result = result.result()
                if field.leaf is not None:
                    return self._complete_leaf(field, parent_type, result)
            completed = self.complete_value(return_type, field_nodes, info, path, result)
            if isinstance(completed, SyncFuture):
                if completed.done():
                    return completed.result()
                future = SyncFuture()

                def completed_done():
                    try:
                        future.set_result(completed.result())
                    except Exception as raw_error:
                        self.handle_field_error(
                            located_error(raw_error, field_nodes, path.as_list()), return_type)
                        future.set_result(None)

                completed.add_done_callback(completed_done)
                return future
            return completed
        except Exception as raw_error:
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, return_type)
            return None

    @staticmethod
    def _complete_leaf(field: _Field, parent_type, result):
        """graphql-core's ``complete_value`` for a scalar or enum field."""
        if isinstance(result, Exception):
            raise result
        if result is None or result is Undefined:
            if field.non_null:
                raise TypeError("Cannot return null for non-nullable field"
                                f" {parent_type.name}.{field.name}.")
            return None
        serialized = field.leaf.serialize(result)
        if serialized is Undefined or serialized is None:
            raise TypeError(
                f"Expected `{inspect(field.leaf)}.serialize({inspect(result)})`"
                f" to return non-nullable value, returned: {inspect(serialized)}")
        return serialized

    def complete_value(self, return_type, field_nodes, info, path, result):
        """graphql-core's, telling the kinds of types apart once per request."""
        if isinstance(result, Exception):
            raise result
        kind = self._kinds.get(return_type)
        if kind is None:
            kind = self._kinds[return_type] = _kind(return_type)
        if kind == _NON_NULL:
            completed = self.complete_value(return_type.of_type, field_nodes, info, path,
                                            result)
            if completed is None:
                raise TypeError("Cannot return null for non-nullable field"
                                f" {info.parent_type.name}.{info.field_name}.")
            return completed
        if result is None or result is Undefined:
            return None
        if kind == _OBJECT:
            return self.complete_object_value(return_type, field_nodes, info, path, result)
        if kind == _LIST:
            return self.complete_list_value(return_type, field_nodes, info, path, result)
        if kind == _LEAF:
            return self.complete_leaf_value(return_type, result)
        return self.complete_abstract_value(return_type, field_nodes, info, path, result)

    def _complete_later(self, result, return_type, field_nodes, info, path):
        """A future of the field's completed value once the loader behind ``result`` ran."""
        callback = result.deferred_callback
        if callback:
            self._deferred_callbacks.append(callback)
        future = SyncFuture()

        def failed(raw_error):
            self.handle_field_error(located_error(raw_error, field_nodes, path.as_list()),
                                    return_type)
            future.set_result(None)

        def resolved():
            try:
                completed = self.complete_value(return_type, field_nodes, info, path,
                                                result.result())
            except Exception as raw_error:
                failed(raw_error)
                return
            if not isinstance(completed, SyncFuture):
                future.set_result(completed)
                return

            def completed_done():
                try:
                    future.set_result(completed.result())
                except Exception as raw_error:
                    failed(raw_error)

            if completed.done():
                completed_done()
            else:
                completed.add_done_callback(completed_done)

        result.add_done_callback(resolved)
        return future
