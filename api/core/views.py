"""The GraphQL endpoint: multipart uploads, JWT bearer tokens, sync DataLoaders, and what
the open internet needs in front of them:

- the query limits of ``api.core.limits`` (size, depth, aliases, cost), checked before
  anything runs, on every request, against the document ``api.core.documents`` parsed and
  validated once for its text;
- CSRF for cookie sessions: a request signed in by the session cookie (a browser) must
  carry Django's CSRF token to run a mutation; bearer-token clients and anonymous
  requests are not affected (a cross-site form has no token to send);
- no HTTP 500 from a malformed request: broken multipart ``operations``/``map`` are a 400
  with a clear message, and an unexpected exception inside a resolver is answered with a
  generic message (logged here, shown in full only with ``DEBUG``)."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.views import HttpError
from graphene_file_upload.django import FileUploadGraphQLView
from graphene_file_upload.utils import place_files_in_operations
from graphql import GraphQLError, OperationType, execute, get_operation_ast, validate_schema
from graphql.execution import ExecutionResult

from shop import services as shop_services

from . import documents
from .execution import ExecutionContext
from .limits import document_too_large, limit_errors

logger = logging.getLogger("api.graphql")

# The exception names Saleor's clients look for (e.g. to refresh on ExpiredSignatureError).
SALEOR_TOKEN_EXCEPTIONS = {
    "jwt_signature_expired": "ExpiredSignatureError",
    "jwt_decode_error": "DecodeError",
    "jwt_invalid_token": "InvalidTokenError",
}

# Exceptions whose message is written for the caller (graphene's own ID and argument
# checks raise plain ``Exception``/``AssertionError`` with a readable message).
CALLER_FACING = (GraphQLError, ValidationError, PermissionDenied, AssertionError)


def _bad_request(message: str) -> HttpError:
    return HttpError(HttpResponseBadRequest(message))


class GraphQLView(FileUploadGraphQLView):
    execution_context_class = ExecutionContext

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
        request._graphql_csrf_failure = None
        if scheme.lower() in ("bearer", "jwt") and token.strip():
            try:
                request.user = shop_services.user_from_token(token.strip())
            except ValidationError as error:
                # A token that is expired, forged or revoked is refused outright (Saleor
                # does the same), so a client knows to refresh instead of silently
                # becoming anonymous.
                return JsonResponse(
                    {"errors": [{"message": error.messages[0], "extensions": {
                        "exception": {"code": SALEOR_TOKEN_EXCEPTIONS.get(error.code,
                                                                          "InvalidTokenError")},
                        "code": error.code.upper()}}]},
                    status=401,
                )
        elif request.method == "POST" and request.user.is_authenticated:
            # Signed in by the session cookie, which a browser sends on a cross-site form
            # too: mutations need the CSRF token (checked in execute_graphql_request).
            refusal = CsrfViewMiddleware(lambda _request: None).process_view(
                request, None, (), {})
            if refusal is not None:
                request._graphql_csrf_failure = refusal
        return super().dispatch(request, *args, **kwargs)

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        if content_type == "multipart/form-data" and "operations" in request.POST:
            return self._parse_multipart(request)
        return super().parse_body(request)

    @staticmethod
    def _parse_multipart(request):
        """The GraphQL multipart request spec, every malformed part a 400."""
        try:
            operations = json.loads(request.POST.get("operations") or "{}")
            files_map = json.loads(request.POST.get("map") or "{}")
        except ValueError:
            raise _bad_request(_("The multipart fields operations and map must be JSON.")) \
                from None
        if not isinstance(operations, (dict, list)) or not isinstance(files_map, dict) or \
                not all(isinstance(paths, list) and all(isinstance(p, str) for p in paths)
                        for paths in files_map.values()):
            raise _bad_request(_("The multipart map must name, for each file, a list of "
                                 "paths in operations."))
        missing = [key for key in files_map if key not in request.FILES]
        if missing:
            raise _bad_request(_("The multipart request lacks the file %(key)s named in map.")
                               % {"key": missing[0][:50]})
        try:
            return place_files_in_operations(operations, files_map, request.FILES)
        except (KeyError, IndexError, ValueError, TypeError):
            raise _bad_request(_("A path in the multipart map does not lead to a null "
                                 "variable in operations.")) from None

    def execute_graphql_request(self, request, data, query, variables, operation_name,
                                show_graphiql=False):
        """graphene-django's, reading the document through ``api.core.documents`` (parsed
        and validated once per text) and holding every request to the limits."""
        if not query:
            if show_graphiql:
                return None
            raise _bad_request(_("Must provide query string."))
        if not isinstance(query, str):
            raise _bad_request(_("The query must be a string."))
        too_large = document_too_large(query)
        if too_large is not None:
            return ExecutionResult(errors=[too_large])
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)
        if schema_errors:
            return ExecutionResult(errors=schema_errors)
        document = documents.read(schema, query)
        if document.syntax_error is not None:
            return ExecutionResult(errors=[document.syntax_error])
        operation = get_operation_ast(document.tree, operation_name)
        changes = operation is None or operation.operation != OperationType.QUERY
        if changes and request._graphql_csrf_failure is not None:
            raise HttpError(HttpResponseForbidden(_(
                "A browser session needs the CSRF token (X-CSRFToken header) to change "
                "anything; apps sign in with a bearer token instead.")))
        if request.method == "GET" and operation is not None and changes:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(
                ["POST"], _("Can only perform a %(operation)s operation from a POST request.")
                % {"operation": operation.operation.value}))
        errors = [*limit_errors(document.operations, variables, request.user, operation_name),
                  *document.errors]
        if errors:
            return ExecutionResult(errors=errors)
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
            "execution_context_class": self.execution_context_class,
        }
        try:
            if operation is not None and operation.operation == OperationType.MUTATION and (
                    graphene_settings.ATOMIC_MUTATIONS is True
                    or connection.settings_dict.get("ATOMIC_MUTATIONS", False) is True):
                with transaction.atomic():
                    result = execute(schema, document.tree, **options)
                    if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
                        transaction.set_rollback(True)
                return result
            return execute(schema, document.tree, **options)
        except Exception as error:  # noqa: BLE001 - answered as graphene-django does
            return ExecutionResult(errors=[error])

    @staticmethod
    def format_error(error):
        original = getattr(error, "original_error", None)
        # Only a failure while resolving has a path; one while reading the document (a
        # scalar's literal the scalar refused) is the caller's to fix and says why.
        if original is not None and getattr(error, "path", None) \
                and not isinstance(original, CALLER_FACING) and type(original) is not Exception:
            logger.error("GraphQL resolver failed at %s", getattr(error, "path", None),
                         exc_info=(type(original), original, original.__traceback__))
            if not settings.DEBUG:
                formatted = {"message": _("Internal server error. The failure has been "
                                          "logged."),
                             "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
                if getattr(error, "locations", None):
                    formatted["locations"] = [loc.formatted for loc in error.locations]
                if getattr(error, "path", None):
                    formatted["path"] = error.path
                return formatted
        return FileUploadGraphQLView.format_error(error)
