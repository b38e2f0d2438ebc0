"""Public pages of the livestream app."""

app_name = "livestream"
urlpatterns: list = []
