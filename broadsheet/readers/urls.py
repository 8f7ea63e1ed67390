from django.urls import path

from broadsheet.readers import views

urlpatterns = [
    path("", views.account, name="account"),
]
