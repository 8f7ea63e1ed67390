"""Pages for group licences: join with a code, give up a seat."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from broadsheet.billing.groups import services as groups
from broadsheet.core import clock


class JoinForm(forms.Form):
    join_code = forms.CharField(label="Join code", max_length=40)


@login_required
def group_join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"join_code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        try:
            seat = groups.seat_take(join_code=form.cleaned_data["join_code"], user_id=request.user.pk, at=clock.now())  # type: ignore[arg-type]
        except groups.GroupRefused as refused:
            form.add_error("join_code", refused.message)
            return render(request, "billing/group_join.html", {"form": form}, status=400)
        messages.success(request, f"You hold a seat of {seat.organisation.name}.")
        return redirect("account")
    return render(request, "billing/group_join.html", {"form": form})


@login_required
@require_POST
def group_leave(request: HttpRequest, org_id: int) -> HttpResponse:
    if groups.seat_release(organisation_id=org_id, user_id=request.user.pk):  # type: ignore[arg-type]
        messages.success(request, "You have given up your seat.")
    return redirect("account")
