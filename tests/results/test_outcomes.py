from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from results.enums import OutcomeRound, OutcomeSide
from results.models import MeetingOutcome
from results.report import report_build
from results.services.outcomes import outcome_answer, outcome_surveys_send
from tests.factories.exhibitors import SectorFactory, UserFactory
from tests.factories.results import known_fair

pytestmark = pytest.mark.django_db

AFTER = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
DURING = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def known(home_page):
    return known_fair()


def test_nothing_is_asked_while_the_fair_runs(known):
    assert outcome_surveys_send(now=DURING) == 0
    assert MeetingOutcome.objects.count() == 0
    assert mail.outbox == []


def test_survey_is_sent_once_per_party_of_each_held_meeting(known):
    assert outcome_surveys_send(now=AFTER) == 6  # 3 held meetings, 2 sides each
    assert outcome_surveys_send(now=AFTER) == 0

    assert MeetingOutcome.objects.count() == 6
    first = known.held[0]
    # The buyer and both people of the company (no staff member named on the meeting) are written to, once.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        [known.buyers[0].email, known.buyers[1].email, known.buyers[2].email]
        + [known.owner.email, known.staff_member.email] * 2
        + [known.other_owner.email]
    )
    assert recipients == expected
    buyer_mail = next(message for message in mail.outbox if message.to == [first.buyer.email])
    assert buyer_mail.extra_headers["Content-Language"] == "es"
    assert "Andes Coffee" in buyer_mail.subject and buyer_mail.subject.startswith("¿")
    outcome = MeetingOutcome.objects.get(meeting=first, side=OutcomeSide.BUYER)
    assert reverse("results:outcome_answer", args=[outcome.pk])[3:] in buyer_mail.body


def test_both_parties_are_asked_again_six_months_on_once(known):
    assert outcome_surveys_send(now=AFTER) == 6
    mail.outbox.clear()
    # Not yet: five months after the fair.
    assert outcome_surveys_send(now=AFTER + timedelta(days=150)) == 0

    later = AFTER + timedelta(days=182)
    assert outcome_surveys_send(now=later) == 6
    assert outcome_surveys_send(now=later) == 0
    assert MeetingOutcome.objects.filter(round=OutcomeRound.SIX_MONTHS).count() == 6
    assert MeetingOutcome.objects.filter(round=OutcomeRound.AFTER_FAIR).count() == 6
    buyer_mail = next(message for message in mail.outbox if message.to == [known.held[0].buyer.email])
    assert buyer_mail.subject.startswith("Seis meses después")  # the buyer reads Spanish
    assert "Han pasado seis meses" in buyer_mail.body


def test_six_months_answers_have_their_own_report_section(known):
    later = AFTER + timedelta(days=182)
    outcome_surveys_send(now=later)  # both rounds are due: asked together
    first = MeetingOutcome.objects.get(
        meeting=known.held[0], side=OutcomeSide.COMPANY, round=OutcomeRound.AFTER_FAIR
    )
    again = MeetingOutcome.objects.get(
        meeting=known.held[0], side=OutcomeSide.COMPANY, round=OutcomeRound.SIX_MONTHS
    )
    outcome_answer(outcome=first, user=known.owner, result="letter_of_intent")
    outcome_answer(
        outcome=again, user=known.owner, result="deal", value_amount=Decimal("24000"), value_currency="USD"
    )

    tables = {table.key: table for table in report_build(known.fair)}
    assert tables["outcomes"].rows == [["—", "Peru", 1, 0, 0, 1, 0, ""]]
    assert tables["outcomes_six_months"].rows == [["—", "Peru", 1, 1, 0, 0, 0, "24000.00 USD"]]


def test_closed_early_fair_is_asked_too(home_page):
    known_fair(closed_early=True)
    assert outcome_surveys_send(now=DURING) == 6


def test_each_party_answers_and_may_change_its_answer(client, known):
    outcome_surveys_send(now=AFTER)
    outcome = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.COMPANY)
    url = reverse("results:outcome_answer", args=[outcome.pk])
    client.force_login(known.staff_member)

    assert client.get(reverse("results:outcomes")).status_code == 200
    response = client.post(url, {"result": "deal", "value_amount": "12000", "value_currency": "usd"})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.result, outcome.value_amount, outcome.value_currency) == ("deal", Decimal("12000"), "USD")

    client.post(url, {"result": "sample_order", "value_amount": "", "value_currency": ""})
    outcome.refresh_from_db()
    assert (outcome.result, outcome.value_amount, outcome.value_currency) == ("sample_order", None, "")
    assert MeetingOutcome.objects.filter(meeting=known.held[0]).count() == 2


def test_bad_answer_is_refused_with_a_message_and_nothing_lost(client, known):
    outcome_surveys_send(now=AFTER)
    outcome = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.BUYER)
    client.force_login(known.buyers[0])
    response = client.post(
        reverse("results:outcome_answer", args=[outcome.pk]),
        {"result": "deal", "value_amount": "500", "value_currency": ""},
    )
    assert response.status_code == 200
    assert "Give the currency of the value" in response.content.decode()
    assert 'value="500"' in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.answered_at is None
    with pytest.raises(ValidationError):
        outcome_answer(outcome=outcome, user=known.buyers[0], result="maybe")


def test_other_people_cannot_see_or_answer_a_partys_question(client, known):
    outcome_surveys_send(now=AFTER)
    buyer_side = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.BUYER)
    company_side = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.COMPANY)
    client.force_login(known.buyers[1])
    assert client.get(reverse("results:outcome_answer", args=[buyer_side.pk])).status_code == 404
    client.force_login(known.buyers[0])
    assert (
        client.post(reverse("results:outcome_answer", args=[company_side.pk]), {"result": "deal"}).status_code
        == 404
    )
    client.force_login(known.other_owner)
    assert client.get(reverse("results:outcome_answer", args=[company_side.pk])).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("results:outcome_answer", args=[999999])).status_code == 404


def test_dashboard_prompts_while_answers_are_missing(client, known):
    outcome_surveys_send(now=AFTER)
    client.force_login(known.buyers[0])
    assert "What came of your meetings?" in client.get(reverse("dashboard")).content.decode()
    outcome = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.BUYER)
    outcome_answer(outcome=outcome, user=known.buyers[0], result="nothing")
    assert "What came of your meetings?" not in client.get(reverse("dashboard")).content.decode()


def test_report_adds_outcomes_up_by_sector_and_country(known):
    coffee = SectorFactory(name="Coffee")
    known.company.sectors.add(coffee)
    outcome_surveys_send(now=AFTER)
    a_company = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.COMPANY)
    a_buyer = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.BUYER)
    a2_company = MeetingOutcome.objects.get(meeting=known.held[1], side=OutcomeSide.COMPANY)
    b_company = MeetingOutcome.objects.get(meeting=known.held[2], side=OutcomeSide.COMPANY)
    outcome_answer(
        outcome=a_company, user=known.owner, result="deal", value_amount=Decimal("1000"), value_currency="USD"
    )
    outcome_answer(
        outcome=a_buyer,
        user=known.buyers[0],
        result="deal",
        value_amount=Decimal("500"),
        value_currency="USD",
    )
    outcome_answer(outcome=a2_company, user=known.owner, result="letter_of_intent")
    outcome_answer(outcome=b_company, user=known.other_owner, result="nothing")

    rows = next(table for table in report_build(known.fair) if table.key == "outcomes").rows

    assert rows == [
        ["Coffee", "Peru", 3, 2, 0, 1, 0, "1500.00 USD"],
        ["—", "Colombia", 1, 0, 0, 0, 1, ""],
    ]


def test_outcomes_are_in_the_buyers_and_the_companys_data_export(known):
    from exhibitors.services.exports import EXPORT_SECTIONS

    outcome_surveys_send(now=AFTER)
    outcome = MeetingOutcome.objects.get(meeting=known.held[0], side=OutcomeSide.BUYER)
    outcome_answer(
        outcome=outcome, user=known.buyers[0], result="deal", value_amount=Decimal("5"), value_currency="EUR"
    )
    section = EXPORT_SECTIONS["meeting_outcomes"]

    person_rows = section.person(person=known.buyers[0])
    company_rows = section.company(company=known.company)

    assert [(row["side"], row["result"], row["value_currency"]) for row in person_rows] == [
        ("buyer", "deal", "EUR")
    ]
    assert [row["side"] for row in company_rows] == ["company", "company"]
