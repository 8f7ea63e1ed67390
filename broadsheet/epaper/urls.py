from django.urls import path, register_converter

from broadsheet.epaper import clip_views, file_views, views
from broadsheet.epaper.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.latest, name="epaper"),
    path("archive/", views.archive, name="epaper-archive"),
    path("p/<str:key>/<int:number>.<str:ext>", file_views.page_image, {"size": "page"}, name="epaper-image"),
    path("t/<str:key>/<int:number>.<str:ext>", file_views.page_image, {"size": "thumb"}, name="epaper-thumb"),
    path("x/<str:key>/<int:number>.json", file_views.page_text, name="epaper-text"),
    path("pdf/<str:token>/<str:filename>", file_views.pdf_file, name="epaper-pdf"),
    path("clip/<str:key>/", clip_views.clipping, name="epaper-clipping"),
    path("clip/<str:key>.<str:ext>", clip_views.clipping_image, name="epaper-clipping-image"),
    path("<isodate:day>/", views.on_date, name="epaper-date"),
    path("<isodate:day>/<slug:slug>/", views.edition, name="epaper-edition"),
    path("<isodate:day>/<slug:slug>/find/", views.find, name="epaper-find"),
    path("<isodate:day>/<slug:slug>/download/", file_views.download, name="epaper-download"),
    path("<isodate:day>/<slug:slug>/<int:number>/", views.page, name="epaper-page"),
    path("<isodate:day>/<slug:slug>/<int:number>/clip/", clip_views.clip, name="epaper-clip"),
]
