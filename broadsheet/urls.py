from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from broadsheet.billing.account import views as billing_views
from broadsheet.core.caching import public_document
from broadsheet.pictures.serving import media_patterns
from broadsheet.site import stories as views
from broadsheet.site.discovery import SITEMAPS, LatestStoriesFeed, news_sitemap

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", public_document(60)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", public_document(60)(news_sitemap), name="news-sitemap"),
    path("feed/", public_document(60)(LatestStoriesFeed()), name="feed"),
    path("subscribe/", billing_views.subscribe, name="subscribe"),
    path("billing/", include("broadsheet.billing.urls")),
    path("account/", include("broadsheet.site.account_urls")),
    path("account/partners/", include("broadsheet.partners.urls")),
    path("wire/", include("broadsheet.wire.urls")),
    path("epaper/", include("broadsheet.epaper.urls")),
    path("archive/", include("broadsheet.archive.urls")),
    path("newsletters/", include("broadsheet.newsletters.urls")),
    path("search/", include("broadsheet.search.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("broadsheet.api.urls")),
    path("app/", include("broadsheet.pwa.urls")),
    path("admin/", admin.site.urls),
    path("author/<slug:slug>/", views.author, name="author"),
    path("", include("broadsheet.pages.urls")),
    *media_patterns(),
    path("<slug:slug>/", views.section, name="section"),
    path("<slug:section>/<slug:slug>/", views.article, name="article"),
]
