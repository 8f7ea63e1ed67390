from django.urls import path

from broadsheet.search import views

urlpatterns = [path("", views.search, name="search")]
