"""Everything under /billing/: checkout and each gateway's own pages, the reader's billing actions,
gateway webhooks, gifts and groups.

The offline gateway's page path must match BROADSHEET_TEST_GATEWAY_PATH, and the
Razorpay page's BROADSHEET_RAZORPAY_CHECKOUT_PATH (their defaults do).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from broadsheet.billing.account import views as account_views
from broadsheet.billing.checkout import views as checkout_views
from broadsheet.billing.gateway_pages import offline as offline_views
from broadsheet.billing.gateway_pages import razorpay as razorpay_views
from broadsheet.billing.gifts import views as gift_views
from broadsheet.billing.groups import views as group_views
from broadsheet.billing.webhooks import views as webhook_views

urlpatterns: list[URLPattern] = [
    path("checkout/<slug:plan_slug>/", checkout_views.checkout_page, name="billing_checkout"),
    path("return/<int:payment_id>/", checkout_views.checkout_return_view, name="billing_return"),
    path("test-gateway/<str:session_id>/", offline_views.test_gateway_page, name="billing_test_gateway"),
    path("razorpay/checkout/<str:order_id>/", razorpay_views.razorpay_checkout_page, name="billing_razorpay_checkout"),
    path("razorpay/verify/", razorpay_views.razorpay_verify_view, name="billing_razorpay_verify"),
    path(
        "account/subscription/<int:subscription_id>/cancel/",
        account_views.subscription_cancel_view,
        name="billing_subscription_cancel",
    ),
    path(
        "account/subscription/<int:subscription_id>/resume/",
        account_views.subscription_resume_view,
        name="billing_subscription_resume",
    ),
    path(
        "account/subscription/<int:subscription_id>/change-plan/",
        account_views.subscription_change_plan_view,
        name="billing_subscription_change_plan",
    ),
    path("invoices/<str:number>/pdf", account_views.invoice_pdf_view, name="billing_invoice_pdf"),
    path("webhooks/<str:gateway>/", webhook_views.gateway_webhook, name="billing_webhook"),
    path("gifts/buy/<slug:plan_slug>/", gift_views.gift_buy, name="gift_buy"),
    path("gifts/<int:gift_id>/sent/", gift_views.gift_sent, name="gift_sent"),
    path("gifts/redeem/", gift_views.gift_redeem, name="gift_redeem"),
    path("groups/join/", group_views.group_join, name="group_join"),
    path("groups/<int:org_id>/leave/", group_views.group_leave, name="group_leave"),
]
