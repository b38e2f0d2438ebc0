"""The shopper's pages, included last at the root (after /graphql/, /admin/, /t/, /live/,
/brand/, /alipay/, /thumbnail/, /media/, /static/)."""

from django.urls import path

from . import account_pages, content_pages, help_page, live, paying, phone_pages, views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("p/<slug:slug>/", views.pavilion, name="pavilion"),
    path("c/<str:slug>/", views.category, name="category"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("product/<str:slug>/", views.product, name="product"),
    path("cart/", views.cart, name="cart"),
    path("buy/live/<int:pk>/", live.buy, name="live-buy"),
    path("checkout/", views.checkout, name="checkout"),
    path("pay/return/", views.payment_return, name="payment-return"),
    path("pay/open/<str:token>/", paying.pay_outside_wechat, name="pay-outside-wechat"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:number>/", views.order, name="order"),
    path("account/sign-in/", views.sign_in, name="sign-in"),
    path("account/register/", views.register, name="register"),
    path("account/confirm/", views.confirm_account, name="confirm-account"),
    path("account/sign-out/", views.sign_out, name="sign-out"),
    path("account/", phone_pages.account, name="account"),
    path("account/sign-in/phone/", phone_pages.phone_sign_in, name="phone-sign-in"),
    path("account/register/phone/", phone_pages.phone_register, name="phone-register"),
    path("account/password/", account_pages.forgot_password, name="forgot-password"),
    path("account/password/new/", account_pages.reset_password, name="reset-password"),
    path("account/email/", account_pages.change_email, name="change-email"),
    path("account/email/confirm/", account_pages.confirm_email, name="confirm-email"),
    path("address/divisions/", views.divisions, name="divisions"),
    path("help/", help_page.shopping_help, name="help"),
    path("page/", content_pages.page_list, name="content-pages"),
    path("page/<str:slug>/", content_pages.content_page, name="content-page"),
]
