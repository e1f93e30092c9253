"""The chamber report is a list of sections, each registered with `report_section_register`.

A section is built per fair by `build(fair) -> ReportTable | None` and shown in `order`. results registers its
own (results.selectors.report). Complaints and requests for quotation sit below results and never import it,
so their sections are wired from above: results.apps.ResultsConfig.ready() registers a builder those apps
provide (see docs/results.md)."""

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
