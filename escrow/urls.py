from django.urls import path

from escrow import views

app_name = "escrow"

urlpatterns = [
    path("", views.balance, name="balance"),
    path("statement/", views.statement, name="statement"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("receipts/", views.receipts, name="receipts"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("receipts/purchase/<int:pk>/", views.purchase_receipt, name="purchase_receipt"),
    path("top-up/", views.top_up, name="top_up"),
    path("payment-method/", views.payment_method, name="payment_method"),
    path("withdraw/", views.withdraw, name="withdraw"),
    path("withdraw/setup/", views.payout_setup, name="payout_setup"),
    path("demo-checkout/<str:token>/", views.demo_checkout, name="demo_checkout"),
    path("checkout/return/", views.checkout_return, name="checkout_return"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
