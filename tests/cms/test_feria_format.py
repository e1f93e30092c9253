import datetime
import zoneinfo
from decimal import Decimal

from django.template import Context, Template
from django.utils import timezone, translation

from cms.templatetags.feria_format import (
    format_local_date,
    format_local_datetime,
    format_local_time,
    format_money,
    format_money_minor,
    format_number,
    format_price_range,
    format_zone_label,
)

WHEN = datetime.datetime(2031, 3, 3, 14, 0, tzinfo=datetime.UTC)


def test_money_minor_units_in_each_language():
    with translation.override("en"):
        assert format_money_minor(15000, "USD") == "$150.00"
        assert format_money_minor(1500, "JPY") == "¥1,500"
    with translation.override("es"):
        assert format_money_minor(15000, "USD") == "150,00\xa0US$"
    with translation.override("fr"):
        assert format_money_minor(123456, "EUR") == "1\u202f234,56\xa0€"


def test_money_decimal_and_price_ranges():
    with translation.override("pt"):
        assert format_money(Decimal("2.5"), "USD") == "US$\xa02,50"
    with translation.override("en"):
        assert format_price_range(Decimal("2"), Decimal("3.5"), "USD") == "$2.00 – $3.50"
        assert format_price_range(Decimal("2"), Decimal("2"), "USD") == "$2.00"
        assert format_price_range(Decimal("2"), None, "USD") == "from $2.00"
        assert format_price_range(None, Decimal("3"), "USD") == "up to $3.00"
        assert format_price_range(None, None, "USD") == ""
        assert format_money(Decimal("2"), "") == ""


def test_numbers_use_the_languages_grouping():
    with translation.override("en"):
        assert format_number(12000) == "12,000"
    with translation.override("es"):
        assert format_number(12000) == "12.000"


def test_datetime_in_active_zone_and_language():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert (
            format_local_datetime(WHEN) == "Mon, Mar 3, 2031, 3:00\u202fPM (Central European Standard Time)"
        )
        assert format_local_time(WHEN) == "3:00\u202fPM"
    with translation.override("es"), timezone.override(zoneinfo.ZoneInfo("America/Lima")):
        assert format_local_datetime(WHEN) == "lun, 3 mar 2031, 9:00 (hora estándar de Perú)"
        assert format_local_date(WHEN) == "lun, 3 mar 2031"


def test_datetime_in_a_named_zone_regardless_of_active_zone():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert (
            format_local_datetime(WHEN, "America/Lima", with_zone=False) == "Mon, Mar 3, 2031, 9:00\u202fAM"
        )
        assert format_zone_label("America/Lima", WHEN) == "Peru Standard Time (America/Lima)"


def test_date_crossing_midnight_follows_the_zone():
    late = datetime.datetime(2031, 3, 3, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert format_local_date(late, "Asia/Tokyo") == "Tue, Mar 4, 2031"
        assert format_local_date(late, "America/Lima") == "Mon, Mar 3, 2031"


def test_filters_in_templates():
    template = Template(
        "{% load feria_format %}{{ amount|money_minor:'USD' }}|{{ when|local_datetime:'America/Lima' }}|"
        "{% price_range low high 'EUR' %}"
    )
    with translation.override("en"):
        html = template.render(
            Context({"amount": 995, "when": WHEN, "low": Decimal("1"), "high": Decimal("2")})
        )

    assert html == "$9.95|Mon, Mar 3, 2031, 9:00\u202fAM (Peru Standard Time)|€1.00 – €2.00"
