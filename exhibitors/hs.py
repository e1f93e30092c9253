"""The HS 2022 nomenclature (data/hs/, public domain): validate codes, name their chapter and heading."""

import csv
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from exhibitors.integers import is_ascii_digits

# A heading's text can run to a paragraph ("Fruit, nuts and other edible parts of plants; prepared or
# preserved in ways n.e.c., whether or not containing added sugar ..."); cards show its first clause.
SHORT_DESCRIPTION_MAX = 60


@dataclass(frozen=True)
class HSEntry:
    code: str
    description: str
    section: str

    @property
    def short_description(self) -> str:
        """The text up to its first semicolon, cut at a word to at most SHORT_DESCRIPTION_MAX characters."""
        short = self.description.split(";", 1)[0].strip()
        if len(short) <= SHORT_DESCRIPTION_MAX:
            return short
        cut = short[: SHORT_DESCRIPTION_MAX + 1].rsplit(" ", 1)[0].rstrip(" ,:")
        return f"{cut}…"

    @property
    def is_shortened(self) -> bool:
        return self.short_description != self.description


@cache
def nomenclature() -> dict[str, HSEntry]:
    path = settings.BASE_DIR / "data" / "hs" / "harmonized-system.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["hscode"]: HSEntry(row["hscode"], row["description"], row["section"])
            for row in csv.DictReader(handle)
        }


def hs_lookup(code: str) -> HSEntry | None:
    return nomenclature().get(code)


def hs_is_subheading(code: str) -> bool:
    return is_ascii_digits(code, 6) and code in nomenclature()


def hs_is_prefix(code: str) -> bool:
    """A chapter (2), heading (4) or subheading (6) that exists."""
    return is_ascii_digits(code) and len(code) in (2, 4, 6) and code in nomenclature()


def hs_describe(code: str) -> dict[str, HSEntry | None]:
    """The chapter, heading and subheading entries of a 6-digit code."""
    return {
        "chapter": hs_lookup(code[:2]),
        "heading": hs_lookup(code[:4]),
        "subheading": hs_lookup(code),
    }
