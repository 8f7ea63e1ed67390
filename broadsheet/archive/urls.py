from django.urls import path, register_converter

from broadsheet.archive import views


class TwoDigits:
    """Months and days as the archive's addresses write them: 08, 14."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


register_converter(TwoDigits, "dd")
register_converter(Year, "yyyy")

urlpatterns = [
    path("", views.archive_index, name="archive"),
    path("<yyyy:year>/", views.archive_year, name="archive-year"),
    path("<yyyy:year>/<dd:month>/", views.archive_month, name="archive-month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/", views.archive_day, name="archive-day"),
]
