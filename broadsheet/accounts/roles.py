"""Staff roles as Django groups with their permissions."""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
MODERATORS = "Moderators"

# Which model permissions each role gets: (app_label, codename prefix or full codename).
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EDITORS: [
        ("newsroom", "add_"),
        ("newsroom", "change_"),
        ("newsroom", "delete_"),
        ("newsroom", "view_"),
        # Bylines pick staff users through the admin's autocomplete, which needs this.
        ("accounts", "view_user"),
        # The wire desk: feeds to configure, the incoming wire to read, groups to merge.
        ("ingest", "view_wirefeed"),
        ("ingest", "add_wirefeed"),
        ("ingest", "change_wirefeed"),
        ("ingest", "delete_wirefeed"),
        ("ingest", "view_wireitem"),
        ("ingest", "view_wiregroup"),
        ("ingest", "change_wiregroup"),
    ],
    MODERATORS: [
        ("discussion", "view_"),
        ("discussion", "change_"),
        ("discussion", "moderate_comments"),
        ("moderation", "view_"),
        ("moderation", "add_"),
        ("moderation", "change_"),
        ("moderation", "delete_"),
    ],
}


def roles_sync() -> dict[str, int]:
    """Create the staff groups and grant their permissions; safe to run again."""
    counts = {}
    for name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms: list[Permission] = []
        for app_label, code in grants:
            qs = Permission.objects.filter(content_type__app_label=app_label)
            qs = (
                qs.filter(codename__startswith=code)
                if code.endswith("_")
                else qs.filter(codename=code)
            )
            perms.extend(qs)
        group.permissions.set(perms)
        counts[name] = len(perms)
    return counts
