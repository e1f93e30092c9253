"""The chamber report is a list of sections; apps above results (or results itself) register theirs.

A section is built per fair by `build(fair) -> ReportTable | None` and shown in the order registered (then
by `order`). complaints and quotes can add a section by calling `report_section_register` from their
AppConfig.ready() — results is above them, so the call is wired from results.apps, which imports their
registration function if it exists (see docs/results.md)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ReportTable:
    """One section's numbers: a title, column headings, rows of cells (text, numbers or None), and the
    column keys used in the CSV export."""

    key: str
    title: str
    columns: list[str]
    column_keys: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


@dataclass
class ReportSection:
    key: str
    build: Callable
    order: int = 100


REPORT_SECTIONS: list[ReportSection] = []


def report_section_register(key: str, build: Callable, *, order: int = 100) -> None:
    """Add (or replace) the section `key`; `build(fair)` returns a ReportTable or None to leave it out."""
    REPORT_SECTIONS[:] = [section for section in REPORT_SECTIONS if section.key != key]
    REPORT_SECTIONS.append(ReportSection(key=key, build=build, order=order))
    REPORT_SECTIONS.sort(key=lambda section: section.order)


def report_build(fair) -> list[ReportTable]:
    tables = []
    for section in REPORT_SECTIONS:
        table = section.build(fair)
        if table is not None:
            tables.append(table)
    return tables
