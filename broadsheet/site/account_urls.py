from django.urls import path

from broadsheet.readers import device_views
from broadsheet.site import account as views

urlpatterns = [
    path("", views.account, name="account"),
    path("devices/<int:device_id>/sign-out/", device_views.device_sign_out, name="device_sign_out"),
    path("devices/sign-out-others/", device_views.devices_sign_out_others, name="devices_sign_out_others"),
    path("devices/choose/", device_views.device_choose, name="device_choose"),
    path("devices/app-token/", device_views.app_token, name="device_app_token"),
]
