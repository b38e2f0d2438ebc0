"""The livestream host's and the operator's pages, mounted at ``/work/live/`` (URL names in
the ``workbench`` namespace, prefixed ``live-``)."""

urlpatterns = []
