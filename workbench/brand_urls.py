"""The brand licensee's and the brand authority's pages, mounted at ``/work/brand/``
(URL names in the ``workbench`` namespace, prefixed ``brand-``)."""

urlpatterns = []
