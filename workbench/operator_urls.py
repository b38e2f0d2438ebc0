"""The pavilion operator's pages, mounted at ``/work/ops/`` (URL names in the ``workbench``
namespace, prefixed ``ops-``): every seller's orders and products, the categories, the
collections (专题) and the story pages; and their sections of the workbench's navigation."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from .nav import Section, register
from .roles import OPERATOR
from .views import operator_catalog, operator_orders, operator_pages

for _section in (
    Section("ops-orders", _("All orders"), "ops-orders", (OPERATOR,),
            _("Every seller's orders: find one by number, mobile or buyer; cancel, refund, "
              "add a note."), primary=True, order=2, short=_("Customer orders")),
    Section("ops-products", _("All products"), "ops-products", (OPERATOR,),
            _("Every seller's goods: take one off sale with a reason, or put it back."),
            primary=True, order=3, short=_("Products")),
    Section("ops-collections", _("Collections"), "ops-collections", (OPERATOR,),
            _("The pavilion's themed collections (专题): their products and their order."),
            order=60),
    Section("ops-categories", _("Categories"), "ops-categories", (OPERATOR,),
            _("The category tree shoppers browse: add, rename and order."), order=62),
    Section("ops-pages", _("Story pages"), "ops-pages", (OPERATOR,),
            _("The brand story and the counties' origin stories shoppers read, in Chinese, "
              "English and Tibetan."), order=64),
):
    register(_section)

urlpatterns = [
    path("orders/", operator_orders.order_list, name="ops-orders"),
    path("orders/<int:number>/", operator_orders.order_detail, name="ops-order"),
    path("orders/<int:number>/cancel/", operator_orders.order_cancel, name="ops-order-cancel"),
    path("orders/<int:number>/refund/", operator_orders.order_refund, name="ops-order-refund"),
    path("orders/<int:number>/note/", operator_orders.order_note, name="ops-order-note"),
    path("products/", operator_catalog.product_list, name="ops-products"),
    path("products/<int:pk>/", operator_catalog.product_detail, name="ops-product"),
    path("products/<int:pk>/moderate/", operator_catalog.product_moderate,
         name="ops-product-moderate"),
    path("categories/", operator_catalog.categories, name="ops-categories"),
    path("categories/<int:pk>/", operator_catalog.category_change, name="ops-category"),
    path("collections/", operator_catalog.collections, name="ops-collections"),
    path("collections/<int:pk>/", operator_catalog.collection_detail, name="ops-collection"),
    path("collections/<int:pk>/change/", operator_catalog.collection_change,
         name="ops-collection-change"),
    path("pages/", operator_pages.page_list, name="ops-pages"),
    path("pages/new/", operator_pages.page_new, name="ops-page-new"),
    path("pages/<int:pk>/", operator_pages.page_edit, name="ops-page"),
    path("pages/<int:pk>/delete/", operator_pages.page_delete, name="ops-page-delete"),
]
