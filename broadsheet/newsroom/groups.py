"""The newsroom's staff groups and what each may do in the admin: one table for all apps."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ALL = ("view", "add", "change", "delete")

# group → app label → model → actions
GROUPS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "Editors": {
        "newsroom": {m: ALL for m in ("article", "section", "author", "tag", "agency", "publication")},
        "epaper": {"edition": ALL, "printing": ("view",), "page": ("view",), "clipping": ("view", "delete")},
        "pictures": {"picture": ALL},
        "pages": {"standingpage": ALL},
        "newsletters": {"issue": ALL, "issuestory": ALL, "newsletterlist": ("view",), "delivery": ("view",)},
    },
    "Subscription managers": {
        "newsletters": {"newsletterlist": ALL, "subscriber": ("view",), "membership": ("view",), "delivery": ("view",)},
        "billing": {"benefit": ("view",)},
        "newsroom": {"section": ("view",)},
    },
    "Wire desk": {
        "newsroom": {"article": ALL, "tag": ALL, "agency": ("view",), "section": ("view",)},
        "pictures": {"picture": ("view", "add", "change")},
        "wire": {
            "wireitem": ("view", "change", "publish", "retry"),
            "wiresource": ("view",),
            "wirefile": ("view",),
            "wirestory": ("view",),
            "ingestrun": ("view",),
            "mappingrule": ALL,
        },
    },
}


def groups_ensure() -> None:
    """Create the groups and set their permissions to the table; safe to run any number of times."""
    for name, apps in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms: list[Permission] = []
        for app_label, models in apps.items():
            codenames = [f"{action}_{model}" for model, actions in models.items() for action in actions]
            perms += Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.set(perms)
