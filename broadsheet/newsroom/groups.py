"""The newsroom's staff groups and what each may do in the admin."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

GROUPS: dict[str, list[tuple[str, str]]] = {
    "Editors": [
        ("newsroom", "article"),
        ("newsroom", "section"),
        ("newsroom", "author"),
        ("newsroom", "tag"),
        ("newsroom", "agency"),
        ("newsroom", "publication"),
    ],
    "Wire desk": [("newsroom", "article"), ("newsroom", "tag")],
}
WIRE_DESK_VIEW_ONLY = [("newsroom", "agency"), ("newsroom", "section")]


def groups_ensure() -> None:
    """Create the groups and give them their permissions; safe to run any number of times."""
    for name, models in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(
            Permission.objects.filter(
                content_type__app_label__in={app for app, _ in models},
                content_type__model__in={model for _, model in models},
            )
        )
        if name == "Wire desk":
            perms += list(
                Permission.objects.filter(
                    codename__in=[f"view_{m}" for _, m in WIRE_DESK_VIEW_ONLY], content_type__app_label="newsroom"
                )
            )
        group.permissions.set(perms)
