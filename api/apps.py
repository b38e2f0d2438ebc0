from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "GraphQL API"

    def ready(self):
        from shop.conf import install

        from . import conf

        install(conf.defaults())
