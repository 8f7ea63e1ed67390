"""URLs of checkout and of the reader's own billing actions, all under /billing/.

The TEST MODE page's path must match BROADSHEET_TEST_GATEWAY_PATH, and the
Razorpay page's BROADSHEET_RAZORPAY_CHECKOUT_PATH (their defaults do).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from broadsheet.billing import checkout_views, views

urlpatterns: list[URLPattern] = [
    path("checkout/<slug:plan_slug>/", checkout_views.checkout_page, name="billing_checkout"),
    path("return/<int:payment_id>/", checkout_views.checkout_return_view, name="billing_return"),
    path("test-gateway/<str:session_id>/", checkout_views.test_gateway_page, name="billing_test_gateway"),
    path("razorpay/checkout/<str:order_id>/", checkout_views.razorpay_checkout_page, name="billing_razorpay_checkout"),
    path("razorpay/verify/", checkout_views.razorpay_verify_view, name="billing_razorpay_verify"),
    path(
        "account/subscription/<int:subscription_id>/cancel/",
        views.subscription_cancel_view,
        name="billing_subscription_cancel",
    ),
    path(
        "account/subscription/<int:subscription_id>/resume/",
        views.subscription_resume_view,
        name="billing_subscription_resume",
    ),
    path(
        "account/subscription/<int:subscription_id>/change-plan/",
        views.subscription_change_plan_view,
        name="billing_subscription_change_plan",
    ),
    path("invoices/<str:number>/pdf", views.invoice_pdf_view, name="billing_invoice_pdf"),
]
