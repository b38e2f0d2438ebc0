from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The five seed counties' demo data (``manage.py load_demo_data``): no models, only
    the records, the pictures drawn for them and the command that loads them."""

    name = "demo"
    verbose_name = "Demo data"
