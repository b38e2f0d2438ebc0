from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """Pages for the people who run the pavilion's supply side: they call the domain apps'
    services (the same ones the API calls) and never hold a business rule of their own."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "workbench"
    verbose_name = _("Workbench")
