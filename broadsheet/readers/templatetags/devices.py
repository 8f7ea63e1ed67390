"""`{% devices_section %}`: the account page's list of signed-in devices."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.core import clock
from broadsheet.readers import devices
from broadsheet.readers.middleware import current_device_id

register = template.Library()


@register.inclusion_tag("readers/devices/section.html", takes_context=True)
def devices_section(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"devices": [], "limit": 0}
    this = current_device_id(request)
    devices.devices_prune_ended(user_id=user.pk, at=clock.now(), keep_id=this)
    signed_in = devices.devices_signed_in(user_id=user.pk)
    for device in signed_in:
        if device.kind == device.Kind.APP:
            device.expires_at = devices.token_expiry(device)  # type: ignore[attr-defined]  # for the page only
    return {
        "devices": signed_in,
        "this_device": this,
        "limit": devices.max_devices_for(user_id=user.pk, at=clock.now()),
    }
