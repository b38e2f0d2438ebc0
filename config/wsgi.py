import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Refuse to serve without a key (Django raises ImproperlyConfigured for an empty one) rather
# than fail on the first signed cookie.
settings.SECRET_KEY  # noqa: B018
