"""A new password signs out every other device; the one that made the change stays."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from broadsheet.core import clock
from broadsheet.readers import devices
from broadsheet.readers.middleware import current_device_id


def on_password_change(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    keep = None
    if request is not None and str(request.session.get("_auth_user_id", "")) == str(user.pk):
        keep = current_device_id(request)
    devices.device_revoke_others(
        user_id=user.pk, keep_id=keep, reason=devices.Reason.PASSWORD, actor_id=user.pk, at=clock.now()
    )
