from django.urls import path

from broadsheet.pwa import views

urlpatterns = [
    path("", views.shell, name="pwa"),
    path("manifest.webmanifest", views.manifest, name="pwa_manifest"),
    path("sw.js", views.service_worker, name="pwa_sw"),
    path("icon-<int:size>.png", views.icon, name="pwa_icon"),
    path("icon-maskable-512.png", views.icon, {"size": 512, "maskable": True}, name="pwa_icon_maskable"),
]
