from django.urls import path, register_converter

from broadsheet.pages import views
from broadsheet.pages.models import StandingPage


class KindConverter:
    regex = "|".join(StandingPage.Kind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "page_kind")

urlpatterns = [path("<page_kind:kind>/", views.standing_page, name="standing_page")]
