"""The privacy page's consents: every kind listed with when it was given; withdrawing and giving again add
rows (history kept) and apply at once to whoever reads them (e-mails about fairs)."""

import pytest
from django.urls import reverse

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent
from exhibitors.selectors.privacy import consent_given, users_consenting
from exhibitors.services.consents import consent_record
from tests.factories.exhibitors import UserFactory


@pytest.fixture
def person(db):
    user = UserFactory(email="ana@example.com")
    for kind in (ConsentKind.TERMS, ConsentKind.PRIVACY, ConsentKind.MARKETING):
        consent_record(user=user, kind=kind, granted=True)
    return user


def test_privacy_page_lists_every_consent_kind(client, person):
    client.force_login(person)
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    content = response.content.decode()
    for kind in ConsentKind:
        assert str(kind.label) in content
    assert "Never given" in content  # contact sharing was never asked


def test_withdrawing_marketing_stops_fair_emails_at_once(client, person):
    other = UserFactory(email="ben@example.com")
    consent_record(user=other, kind=ConsentKind.MARKETING, granted=True)
    assert set(users_consenting(ConsentKind.MARKETING)) == {person, other}
    client.force_login(person)
    response = client.post(reverse("consent_change"), {"kind": "marketing", "granted": "0"})
    assert response.status_code == 302
    assert consent_given(person, ConsentKind.MARKETING) is False
    assert set(users_consenting(ConsentKind.MARKETING)) == {other}
    # History kept: the earlier "yes" and the new "no".
    rows = Consent.objects.filter(user=person, kind=ConsentKind.MARKETING).order_by("id")
    assert [row.granted for row in rows] == [True, False]


def test_giving_a_consent_again_is_a_new_row(client, person):
    client.force_login(person)
    client.post(reverse("consent_change"), {"kind": "contact_sharing", "granted": "1"})
    assert consent_given(person, ConsentKind.CONTACT_SHARING) is True
    client.post(reverse("consent_change"), {"kind": "contact_sharing", "granted": "0"})
    client.post(reverse("consent_change"), {"kind": "contact_sharing", "granted": "1"})
    assert Consent.objects.filter(user=person, kind=ConsentKind.CONTACT_SHARING).count() == 3
    assert consent_given(person, ConsentKind.CONTACT_SHARING) is True


def test_unknown_consent_kind_is_refused_with_nothing_recorded(client, person):
    client.force_login(person)
    before = Consent.objects.count()
    response = client.post(reverse("consent_change"), {"kind": "everything", "granted": "0"}, follow=True)
    assert Consent.objects.count() == before
    assert "Choose a consent" in response.content.decode()


def test_consents_are_only_the_signed_in_persons(client, person):
    other = UserFactory(email="ben@example.com")
    client.force_login(other)
    client.post(reverse("consent_change"), {"kind": "marketing", "granted": "0"})
    assert consent_given(person, ConsentKind.MARKETING) is True


def test_privacy_page_needs_signing_in(client, db):
    response = client.get(reverse("privacy"))
    assert response.status_code == 302


def test_privacy_page_queries_do_not_grow_with_history(client, person, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exhibitors.enums import DataExportStatus
    from exhibitors.models import DataExport

    client.force_login(person)
    DataExport.objects.create(user=person, status=DataExportStatus.RUNNING)
    client.get(reverse("privacy"))  # the chamber's settings and the site's paths are cached from here on
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("privacy")).status_code == 200
    for granted in (False, True, False, True):
        consent_record(user=person, kind=ConsentKind.MARKETING, granted=granted)
    for _ in range(3):
        DataExport.objects.create(user=person, status=DataExportStatus.FAILED)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse("privacy")).status_code == 200
