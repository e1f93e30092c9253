"""Writes for the site's pages that are not about one fair."""

from wagtail.models import GroupPagePermission, Page


def page_permissions_extend_to_translation(*, source: Page, translation: Page) -> int:
    """Give every group the same page permissions on a page's translation as on the page itself (inserts
    GroupPagePermission rows; idempotent). Returns how many were added.

    A translation of the home page is a new tree beside the original (a sibling under the root), so without
    this the staff who may edit the original could neither edit nor publish its translations."""
    added = 0
    for group_id, permission_id in GroupPagePermission.objects.filter(page=source).values_list(
        "group_id", "permission_id"
    ):
        _row, created = GroupPagePermission.objects.get_or_create(
            group_id=group_id, permission_id=permission_id, page=translation
        )
        added += created
    return added
