"""Group licences: an organisation whose readers hold a plan's benefits by seat or by network."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from broadsheet.billing.models.plans import Plan
from broadsheet.billing.rules.groups import cidr_parse, join_code_normalise
from broadsheet.core.generations import GenerationMixin


class Organisation(GenerationMixin, models.Model):
    """A licence for a company, library or campus: N named seats, or IP ranges, or both."""

    generation = "subscriptions"
    name = models.CharField(max_length=200)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="organisations")
    seats = models.PositiveIntegerField(default=0, help_text="Named seats; 0 for network access only.")
    join_code = models.CharField(max_length=24, unique=True, help_text="Readers type it to take a seat.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    contact_email = models.EmailField(blank=True)
    buyer_state = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A licence runs forwards, and its join code is stored as readers type it after normalising."""
        self.join_code = join_code_normalise(self.join_code or "")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The licence must end after it starts."})


class OrganisationNetwork(GenerationMixin, models.Model):
    """An IP range (CIDR) from which every reader, signed in or not, holds the organisation's benefits."""

    generation = "subscriptions"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="networks")
    cidr = models.CharField(max_length=49, help_text='"203.0.113.0/24" or "2001:db8::/48".')
    note = models.CharField(max_length=120, blank=True)

    def __str__(self) -> str:
        return self.cidr

    def clean(self) -> None:
        """A strict network, v4 or v6; host bits or junk refused with the reason (rules.groups.cidr_parse)."""
        try:
            self.cidr = str(cidr_parse(self.cidr or ""))
        except ValueError as refused:
            raise ValidationError({"cidr": str(refused)}) from None


class OrganisationSeat(GenerationMixin, models.Model):
    generation = "subscriptions"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="seat_holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_seats")
    taken_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="billing_one_seat_per_reader")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.user_id}"
