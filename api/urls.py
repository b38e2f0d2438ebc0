"""The GraphQL endpoint (GraphiQL when opened in a browser)."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .core.views import GraphQLView

urlpatterns = [
    path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True)), name="graphql"),
]
