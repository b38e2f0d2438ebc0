"""Public pages of the brand app."""

app_name = "brand"
urlpatterns: list = []
