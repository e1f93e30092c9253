"""Names and titles stay on one line: forms refuse control characters, and e-mails print what is already
stored on one line, so nobody can forge lines in a mail the platform sends."""

import pytest
from django.core import mail

from exhibitors.enums import MembershipRole
from exhibitors.forms.accounts import CompanyForm, SignupExtraForm
from exhibitors.forms.booths import BoothLinkForm
from exhibitors.forms.catalogue import ProductForm
from exhibitors.services.companies import invitation_create
from exhibitors.templatetags.feria_text import oneline
from exhibitors.validators import validate_single_line
from tests.factories.exhibitors import MembershipFactory

FORGED = "Evil Co\r\nBcc: victim@example.com"


@pytest.mark.parametrize("value", [FORGED, "a\nb", "a\tb", "a\x00b", "a\x1bb", "a\u2028b", "a\x85b"])
def test_validate_single_line_refuses_control_characters(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        validate_single_line(value)
    assert caught.value.code == "single_line"


def test_validate_single_line_accepts_ordinary_names():
    validate_single_line("Café Andino S.A.C. — «Ñandú» 株式会社")


@pytest.mark.django_db
def test_company_form_refuses_a_name_with_a_line_break():
    form = CompanyForm(data={"legal_name": FORGED})

    assert not form.is_valid()
    assert "Write this on a single line" in " ".join(form.errors["legal_name"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (SignupExtraForm, {"first_name": "Ana\nBcc: x@example.com", "last_name": "Ruiz"}, "first_name"),
        (ProductForm, {"name": "Coffee\r\nX-Header: 1"}, "name"),
        (BoothLinkForm, {"label": "Web\nsite", "url": "https://example.com/"}, "label"),
    ],
)
def test_one_line_fields_of_other_forms_refuse_line_breaks(form_class, data, field):
    form = form_class(data=data)

    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_product_description_keeps_its_line_breaks():
    form = ProductForm(data={"description": "Line one\nLine two"})
    form.is_valid()
    assert "description" not in form.errors


def test_oneline_filter():
    assert oneline(FORGED) == "Evil Co Bcc: victim@example.com"
    assert oneline(None) == ""


@pytest.mark.django_db
def test_invitation_email_prints_a_stored_forged_name_on_one_line():
    owner = MembershipFactory(role=MembershipRole.OWNER, company__legal_name=FORGED)

    invitation_create(
        company=owner.company,
        email="colleague@example.com",
        role=MembershipRole.STAFF,
        invited_by=owner.user,
        language="en",
    )

    (message,) = mail.outbox
    assert not any(line.startswith("Bcc:") for line in message.body.splitlines())
    assert "Evil Co Bcc: victim@example.com" in message.body
    assert "\n" not in message.subject and "\r" not in message.subject
