from django.urls import path

from broadsheet.newsletters.views import links, pages

app_name = "newsletters"

urlpatterns = [
    path("", pages.index, name="index"),
    path("signup/", pages.signup, name="signup"),
    path("join/", pages.join, name="join"),
    path("account/", pages.account_preferences, name="account"),
    path("confirm/<str:token>/", links.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", links.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", links.preferences, name="preferences"),
    path("<slug:slug>/", pages.archive, name="archive"),
    path("<slug:slug>/<int:issue_id>/", pages.web_view, name="web_view"),
]
