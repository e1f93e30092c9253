"""How complete a booth is (0-100) and the checklist of what is still missing."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from exhibitors.models import Booth

BOOTH_TEXT_MIN_LENGTH = 50
GALLERY_TARGET = 3


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str | Promise
    weight: int
    done: bool

    @property
    def anchor(self) -> str:
        """Where on the builder page this is fixed: the text fields by their input, the rest by section."""
        return {"tagline": "id_tagline", "description": "id_description"}.get(self.key, self.key)


@dataclass(frozen=True)
class Completeness:
    score: int
    items: tuple[ChecklistItem, ...]

    @property
    def missing(self) -> list[ChecklistItem]:
        return [item for item in self.items if not item.done]


def _count(booth: Booth, relation: str) -> int:
    """Use rows already prefetched for the page, else count in the database."""
    cache = getattr(booth, "_prefetched_objects_cache", {})
    if relation in cache:
        return len(cache[relation])
    return getattr(booth, relation).count()


def booth_completeness(booth: Booth) -> Completeness:
    """Score a booth on what buyers look for; items its package does not allow (no gallery, no products)
    are left out rather than counted as missing. The weights add up to 100."""
    package = booth.package
    gallery_target = min(GALLERY_TARGET, package.gallery_size)
    items = [
        ChecklistItem("logo", _("A logo"), 15, booth.logo_id is not None),
        ChecklistItem("cover", _("A cover picture"), 10, booth.cover_id is not None),
        ChecklistItem("tagline", _("A tagline"), 10, bool(booth.tagline.strip())),
        ChecklistItem(
            "description",
            _("A booth text of at least %(count)s characters") % {"count": BOOTH_TEXT_MIN_LENGTH},
            15,
            len(booth.description.strip()) >= BOOTH_TEXT_MIN_LENGTH,
        ),
    ]
    if gallery_target:
        items.append(
            ChecklistItem(
                "gallery",
                _("At least %(count)s gallery images") % {"count": gallery_target},
                15,
                _count(booth, "gallery") >= gallery_target,
            )
        )
    items += [
        ChecklistItem("brochures", _("A PDF brochure"), 10, _count(booth, "brochures") > 0),
        ChecklistItem("office-hours", _("Office hours"), 10, _count(booth, "office_hours") > 0),
    ]
    if package.max_products:
        items.append(
            ChecklistItem(
                "products", _("Products from your catalogue"), 15, _count(booth, "booth_products") > 0
            )
        )
    total = sum(item.weight for item in items)
    done = sum(item.weight for item in items if item.done)
    return Completeness(score=round(100 * done / total), items=tuple(items))
