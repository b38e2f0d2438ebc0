"""The GraphQL endpoint: multipart uploads, JWT bearer tokens, sync DataLoaders, and what
the open internet needs in front of them:

- the query limits of ``api.core.limits`` (size, depth, aliases, cost), checked before
  anything runs;
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
from django.http import HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from graphene_django.views import HttpError
from graphene_file_upload.django import FileUploadGraphQLView
from graphene_file_upload.utils import place_files_in_operations
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from graphql.execution import ExecutionResult

from shop import services as shop_services

from .execution import ExecutionContext
from .limits import document_too_large, validation_rules

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
        if query and not isinstance(query, str):
            raise _bad_request(_("The query must be a string."))
        if query:
            too_large = document_too_large(query)
            if too_large is not None:
                return ExecutionResult(errors=[too_large])
        if query and request._graphql_csrf_failure is not None:
            self._refuse_mutation_without_csrf(query, operation_name)
        self.validation_rules = validation_rules(variables, request.user, operation_name)
        return super().execute_graphql_request(request, data, query, variables,
                                               operation_name, show_graphiql)

    @staticmethod
    def _refuse_mutation_without_csrf(query, operation_name):
        try:
            operation = get_operation_ast(parse(query), operation_name)
        except GraphQLError:
            return  # the parser's own error is the answer
        if operation is None or operation.operation != OperationType.QUERY:
            raise HttpError(HttpResponseForbidden(_(
                "A browser session needs the CSRF token (X-CSRFToken header) to change "
                "anything; apps sign in with a bearer token instead.")))

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
