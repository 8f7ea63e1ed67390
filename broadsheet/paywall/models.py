"""The meter's tables, used when the database is the meter store (the default)."""

from __future__ import annotations

from django.db import models


class MeterCount(models.Model):
    """How many distinct articles a reader opened under the meter in one period."""

    reader_key = models.CharField(max_length=80)
    period = models.CharField(max_length=7, help_text="YYYY-MM in the publication's time zone.")
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reader_key", "period"], name="meter_count_unique")]

    def __str__(self) -> str:
        return f"{self.reader_key} {self.period}: {self.used}"


class MeterView(models.Model):
    """One article counted for one reader in one period: re-reading it is free."""

    reader_key = models.CharField(max_length=80)
    period = models.CharField(max_length=7)
    article_id = models.BigIntegerField()
    counted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reader_key", "period", "article_id"], name="meter_view_unique")]

    def __str__(self) -> str:
        return f"{self.reader_key} {self.period}: article {self.article_id}"
