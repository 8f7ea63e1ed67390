from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page

from broadsheet.billing import views as billing_views
from broadsheet.newsroom import views
from broadsheet.newsroom.discovery import SITEMAPS, LatestStoriesFeed, news_sitemap
from broadsheet.readers import views as reader_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", cache_page(300)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", cache_page(120)(news_sitemap), name="news-sitemap"),
    path("feed/", LatestStoriesFeed(), name="feed"),
    path("subscribe/", billing_views.subscribe, name="subscribe"),
    path("account/", reader_views.account, name="account"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("author/<slug:slug>/", views.author, name="author"),
    path("<slug:slug>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.article, name="article"),
]
