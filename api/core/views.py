"""The GraphQL endpoint: multipart uploads, JWT bearer tokens, sync DataLoaders."""

from django.core.exceptions import ValidationError
from graphene_file_upload.django import FileUploadGraphQLView

from shop import services as shop_services

from .execution import ExecutionContext


class GraphQLView(FileUploadGraphQLView):
    execution_context_class = ExecutionContext

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() in ("bearer", "jwt") and token:
            try:
                request.user = shop_services.user_from_token(token.strip())
            except ValidationError:
                from django.contrib.auth.models import AnonymousUser

                request.user = AnonymousUser()
        return super().dispatch(request, *args, **kwargs)
