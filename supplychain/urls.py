"""Public pages of the supplychain app."""

app_name = "supplychain"
urlpatterns: list = []
