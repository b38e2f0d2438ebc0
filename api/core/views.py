"""The GraphQL endpoint: multipart uploads, JWT bearer tokens, sync DataLoaders."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from graphene_file_upload.django import FileUploadGraphQLView

from shop import services as shop_services

from .execution import ExecutionContext

# The exception names Saleor's clients look for (e.g. to refresh on ExpiredSignatureError).
SALEOR_TOKEN_EXCEPTIONS = {
    "jwt_signature_expired": "ExpiredSignatureError",
    "jwt_decode_error": "DecodeError",
    "jwt_invalid_token": "InvalidTokenError",
}


class GraphQLView(FileUploadGraphQLView):
    execution_context_class = ExecutionContext

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
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
        return super().dispatch(request, *args, **kwargs)
