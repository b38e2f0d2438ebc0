"""URLs of the workbench, mounted at ``/work/``: the home, the organisation switcher, the
producer's pages, and the brand (``brand/``) and livestream (``live/``) pages."""

from django.urls import include, path

from .views import (
    chain,
    help_pages,
    home,
    orders,
    packing,
    products,
    sales,
    sourcing,
    translations,
)

app_name = "workbench"
urlpatterns = [
    path("", home.home, name="home"),
    path("switch/", home.switch, name="switch"),
    path("help/", help_pages.help_index, name="help"),
    path("help/<slug:role>/", help_pages.help_role, name="help-role"),
    # Products, stock and warehouses
    path("products/", products.product_list, name="products"),
    path("products/new/", products.product_create, name="product-create"),
    path("products/<int:pk>/", products.product_detail, name="product"),
    path("products/<int:pk>/publish/", products.product_publish, name="product-publish"),
    path("products/<int:pk>/media/order/", products.product_media_order,
         name="product-media-order"),
    path("products/<int:pk>/translations/", translations.product_translations,
         name="product-translations"),
    path("variants/<int:pk>/", products.variant_detail, name="variant"),
    path("stock/", products.stock, name="stock"),
    path("warehouses/", products.warehouses, name="warehouses"),
    # Who the producer buys from, and what
    path("households/", sourcing.households, name="households"),
    path("bases/", sourcing.bases, name="bases"),
    path("bases/<int:pk>/", sourcing.base_detail, name="base"),
    path("lots/", sourcing.lots, name="lots"),
    path("lots/new/", sourcing.lot_create, name="lot-create"),
    path("lots/<int:pk>/", sourcing.lot_detail, name="lot"),
    path("lots/<int:pk>/chain/", chain.lot_chain, name="lot-chain"),
    # Grading, packing, labels, recalls
    path("grading/", packing.graded_lot_list, name="graded-lots"),
    path("grading/<int:product_pk>/", packing.grading, name="grading"),
    path("graded/<int:pk>/", packing.graded_lot_detail, name="graded-lot"),
    path("runs/<int:pk>/", packing.run_detail, name="run"),
    path("runs/<int:pk>/progress/", packing.run_progress, name="run-progress"),
    path("runs/<int:pk>/labels.pdf", packing.run_labels, name="run-labels"),
    path("recall/<str:kind>/<int:pk>/", packing.recall, name="recall"),
    # Orders and sales
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:number>/", orders.order_ship, name="order-ship"),
    path("orders/<int:number>/check/", orders.order_check_code, name="order-check-code"),
    path("orders/after-sales/", orders.return_list, name="returns"),
    path("orders/after-sales/<int:pk>/", orders.return_detail, name="return"),
    path("sales/", sales.sales, name="sales"),
    path("sales.csv", sales.sales_csv, name="sales-csv"),
    # The brand licensee's and authority's pages; the host's and operator's pages
    path("brand/", include("workbench.brand_urls")),
    path("live/", include("workbench.live_urls")),
    # Members of each organisation, invitations, joining the pavilion
    path("", include("workbench.member_urls")),
    path("ops/", include("workbench.operator_urls")),
]
