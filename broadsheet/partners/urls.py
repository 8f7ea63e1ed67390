from django.urls import path

from broadsheet.partners import views

urlpatterns = [
    path("<int:pool_id>/claim/", views.claim, name="partner-claim"),
]
