"""Colleagues: invitations (e-mail, language, accept flows), roles, removal, the last-owner rule, and 404s
for other companies' rows."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from exhibitors.enums import MembershipRole
from exhibitors.models import Invitation, Membership, User
from exhibitors.services.companies import (
    INVITATION_VALID_FOR,
    AlreadyMemberError,
    InvitationClosedError,
    InvitationEmailMismatchError,
    LastOwnerError,
    invitation_accept,
    invitation_create,
    invitation_email_send,
    membership_change_role,
    membership_remove,
)
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def owner(db):
    return MembershipFactory(role=MembershipRole.OWNER, company__legal_name="Café Andino S.A.C.")


def invite(owner, email="colleague@cafe-andino.example", role=MembershipRole.STAFF, language="en"):
    return invitation_create(
        company=owner.company,
        email=email,
        role=role,
        invited_by=owner.user,
        language=language,
    )


def accept_path(invitation) -> str:
    return reverse("invitation_accept", kwargs={"token": invitation.token})


# --- Sending ---


def test_owner_invites_by_email_in_the_language_of_the_page(client, owner):
    client.force_login(owner.user)

    response = client.post(
        f"/es/companies/{owner.company_id}/members/invite/",
        {"email": "colleague@cafe-andino.example", "role": "staff"},
    )

    assert response.status_code == 302
    invitation = Invitation.objects.get(company=owner.company)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "colleague@cafe-andino.example",
        "staff",
        owner.user,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["colleague@cafe-andino.example"]
    assert message.extra_headers["Content-Language"] == "es"
    assert f"http://127.0.0.1:8000/es/invitations/{invitation.token}/" in message.body
    assert "Café Andino S.A.C." in message.subject


def test_invitation_email_follows_the_page_not_the_inviter(client, owner):
    owner.user.preferred_language = "fr"
    owner.user.save()
    client.force_login(owner.user)

    client.post(
        f"/pt/companies/{owner.company_id}/members/invite/",
        {"email": "colleague@cafe-andino.example", "role": "owner"},
    )

    assert mail.outbox[0].extra_headers["Content-Language"] == "pt"
    assert "/pt/invitations/" in mail.outbox[0].body


def test_inviting_the_same_address_again_renews_the_link(owner):
    first = invite(owner)
    old_token = first.token

    second = invite(owner, email="Colleague@Cafe-Andino.example", role=MembershipRole.OWNER)

    assert second.pk == first.pk
    assert second.token != old_token
    assert second.role == MembershipRole.OWNER
    assert Invitation.objects.filter(company=owner.company, accepted_at__isnull=True).count() == 1
    assert len(mail.outbox) == 2
    assert str(second.token) in mail.outbox[1].body


def test_the_old_link_stops_working_after_a_renewal(client, owner):
    first = invite(owner)
    old_path = accept_path(first)
    invite(owner)

    assert client.get(old_path).status_code == 404


def test_inviting_an_existing_member_is_refused_with_a_message(client, owner):
    colleague = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(owner.user)

    with pytest.raises(AlreadyMemberError):
        invite(owner, email=colleague.user.email.upper())
    response = client.post(
        reverse("invitation_create", args=[owner.company_id]),
        {"email": colleague.user.email, "role": "staff"},
    )

    assert response.status_code == 200
    assert "already a member" in str(response.context["invitation_form"].errors["email"])
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_invitation_form_with_a_bad_address_keeps_the_input(client, owner):
    client.force_login(owner.user)

    response = client.post(
        reverse("invitation_create", args=[owner.company_id]), {"email": "not-an-address", "role": "owner"}
    )

    assert response.status_code == 200
    assert "email" in response.context["invitation_form"].errors
    html = response.content.decode()
    assert 'value="not-an-address"' in html
    assert re.search(r'value="owner"[^>]*checked', html)
    assert Invitation.objects.count() == 0


def test_staff_cannot_invite(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(staff.user)

    response = client.post(
        reverse("invitation_create", args=[owner.company_id]), {"email": "x@example.com", "role": "owner"}
    )

    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_a_withdrawn_invitation_sends_nothing_when_the_task_runs_late(owner):
    invitation = Invitation.objects.create(company=owner.company, email="late@example.com", role="staff")
    invitation.delete()

    sent = invitation_email_send.call(invitation_id=invitation.pk, language="en")

    assert sent is False
    assert mail.outbox == []


# --- Accepting ---


def test_signed_in_with_the_invited_address_the_person_joins(client, owner):
    invitation = invite(owner, role=MembershipRole.OWNER)
    person = UserFactory(email="colleague@cafe-andino.example")
    client.force_login(person)

    page = client.get(accept_path(invitation))
    assert page.status_code == 200
    assert page.context["state"] == "ready"
    assert not Membership.objects.filter(user=person).exists()

    response = client.post(accept_path(invitation))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert Membership.objects.get(user=person, company=owner.company).role == MembershipRole.OWNER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_verified_second_address_also_matches(owner):
    from allauth.account.models import EmailAddress

    invitation = invite(owner, email="work@cafe-andino.example")
    person = UserFactory(email="private@example.com")
    EmailAddress.objects.create(user=person, email="WORK@cafe-andino.example", verified=True, primary=False)

    membership = invitation_accept(invitation=invitation, user=person)

    assert membership.company == owner.company


def test_an_unverified_second_address_does_not_match(owner):
    from allauth.account.models import EmailAddress

    invitation = invite(owner, email="work@cafe-andino.example")
    person = UserFactory(email="private@example.com")
    EmailAddress.objects.create(user=person, email="work@cafe-andino.example", verified=False, primary=False)

    with pytest.raises(InvitationEmailMismatchError):
        invitation_accept(invitation=invitation, user=person)


def test_signed_in_with_another_address_gets_a_clear_message_and_no_membership(client, owner):
    invitation = invite(owner)
    stranger = UserFactory(email="someone.else@example.com")
    client.force_login(stranger)

    page = client.get(accept_path(invitation))
    response = client.post(accept_path(invitation), follow=True)

    html = page.content.decode()
    assert page.context["state"] == "wrong_email"
    assert "colleague@cafe-andino.example" in html
    assert "someone.else@example.com" in html
    assert not Membership.objects.filter(user=stranger).exists()
    assert "but you are signed in as someone.else@example.com" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_not_signed_in_the_person_signs_up_and_comes_back_to_accept(client, owner):
    invitation = invite(owner)
    page = client.get(accept_path(invitation))
    assert page.context["state"] == "anonymous"
    signup_url = page.context["signup_url"]
    assert signup_url.startswith(reverse("account_signup"))

    response = client.post(
        signup_url,
        {
            "first_name": "Luis",
            "last_name": "Mamani",
            "email": "colleague@cafe-andino.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "account_kind": "exhibitor",
            "preferred_language": "es",
            "accept_terms": "on",
            "accept_privacy": "on",
        },
    )

    # The invitation link proved the address: no confirmation e-mail, straight back to the invitation.
    assert response.status_code == 302
    assert response.url == accept_path(invitation)
    assert len(mail.outbox) == 1  # only the invitation itself
    client.post(accept_path(invitation))
    person = User.objects.get(email="colleague@cafe-andino.example")
    assert Membership.objects.get(user=person, company=owner.company).role == MembershipRole.STAFF


def test_not_signed_in_the_person_signs_in_and_comes_back_to_accept(client, owner):
    invitation = invite(owner)
    person = UserFactory(email="colleague@cafe-andino.example")
    page = client.get(accept_path(invitation))

    response = client.post(
        page.context["login_url"], {"login": person.email, "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response.url == accept_path(invitation)
    client.post(response.url)
    assert Membership.objects.filter(user=person, company=owner.company).exists()


def test_posting_to_the_link_when_signed_out_asks_to_sign_in(client, owner):
    invitation = invite(owner)

    response = client.post(accept_path(invitation))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Membership.objects.filter(company=owner.company).count() == 1


def test_an_expired_invitation_cannot_be_accepted(client, owner):
    invitation = invite(owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - INVITATION_VALID_FOR - timedelta(minutes=1)
    )
    person = UserFactory(email="colleague@cafe-andino.example")
    client.force_login(person)

    page = client.get(accept_path(invitation))
    client.post(accept_path(invitation))

    assert page.context["state"] == "expired"
    assert not Membership.objects.filter(user=person).exists()
    invitation.refresh_from_db()
    with pytest.raises(InvitationClosedError):
        invitation_accept(invitation=invitation, user=person)


def test_an_invitation_works_only_once(client, owner):
    invitation = invite(owner)
    first = UserFactory(email="colleague@cafe-andino.example")
    invitation_accept(invitation=invitation, user=first)
    client.force_login(UserFactory())

    page = client.get(accept_path(invitation))

    assert page.context["state"] == "used"
    with pytest.raises(InvitationClosedError):
        invitation_accept(invitation=invitation, user=first)


def test_an_unknown_link_answers_404(client, db):
    response = client.get(
        reverse("invitation_accept", kwargs={"token": "6f1c1d1e-0000-4000-8000-000000000000"})
    )

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_staff_invited_as_owner_is_promoted(owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    invitation = Invitation.objects.create(
        company=owner.company, email=staff.user.email, role=MembershipRole.OWNER, invited_by=owner.user
    )

    invitation_accept(invitation=invitation, user=staff.user)

    staff.refresh_from_db()
    assert staff.role == MembershipRole.OWNER


# --- Members: list, roles, removal ---


def test_owner_sees_members_and_open_invitations(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    invite(owner, email="pending@example.com")
    client.force_login(owner.user)

    response = client.get(reverse("member_list", args=[owner.company_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert staff.user.email in html
    assert "pending@example.com" in html
    assert reverse("member_role", args=[owner.company_id, staff.pk]) in html
    assert reverse("invitation_create", args=[owner.company_id]) in html


def test_staff_see_members_but_no_controls(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    invite(owner, email="pending@example.com")
    client.force_login(staff.user)

    response = client.get(reverse("member_list", args=[owner.company_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert owner.user.email in html
    assert "pending@example.com" not in html
    assert reverse("member_role", args=[owner.company_id, owner.pk]) not in html
    assert reverse("member_remove", args=[owner.company_id, owner.pk]) not in html
    assert reverse("invitation_create", args=[owner.company_id]) not in html


def test_owner_changes_a_role(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(owner.user)

    response = client.post(reverse("member_role", args=[owner.company_id, staff.pk]), {"role": "owner"})

    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.role == MembershipRole.OWNER


def test_staff_cannot_change_roles(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(staff.user)

    response = client.post(reverse("member_role", args=[owner.company_id, staff.pk]), {"role": "owner"})

    assert response.status_code == 404
    staff.refresh_from_db()
    assert staff.role == MembershipRole.STAFF


def test_the_last_owner_cannot_be_demoted(client, owner):
    client.force_login(owner.user)

    with pytest.raises(LastOwnerError):
        membership_change_role(membership=owner, role=MembershipRole.STAFF)
    response = client.post(
        reverse("member_role", args=[owner.company_id, owner.pk]), {"role": "staff"}, follow=True
    )

    owner.refresh_from_db()
    assert owner.role == MembershipRole.OWNER
    assert "at least one owner" in response.content.decode()


def test_an_owner_can_step_down_when_another_owner_remains(owner):
    second = MembershipFactory(company=owner.company, role=MembershipRole.OWNER)

    membership_change_role(membership=owner, role=MembershipRole.STAFF)

    owner.refresh_from_db()
    assert owner.role == MembershipRole.STAFF
    with pytest.raises(LastOwnerError):
        membership_change_role(membership=second, role=MembershipRole.STAFF)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(require_postgres):
    first = MembershipFactory(role=MembershipRole.OWNER)
    second = MembershipFactory(company=first.company, role=MembershipRole.OWNER)
    start = threading.Barrier(2)
    refused = []

    def demote(membership):
        try:
            start.wait()
            membership_change_role(membership=membership, role=MembershipRole.STAFF)
        except LastOwnerError:
            refused.append(membership.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(membership,)) for membership in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(refused) == 1
    assert Membership.objects.filter(company=first.company, role=MembershipRole.OWNER).count() == 1


def test_the_last_owner_cannot_leave_or_be_removed(client, owner):
    client.force_login(owner.user)

    with pytest.raises(LastOwnerError):
        membership_remove(membership=owner)
    response = client.post(reverse("member_remove", args=[owner.company_id, owner.pk]), follow=True)

    assert Membership.objects.filter(pk=owner.pk).exists()
    assert "at least one owner" in response.content.decode()


def test_owner_removes_a_colleague_after_confirming(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(owner.user)

    confirm = client.get(reverse("member_remove", args=[owner.company_id, staff.pk]))
    assert Membership.objects.filter(pk=staff.pk).exists()
    response = client.post(reverse("member_remove", args=[owner.company_id, staff.pk]))

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_staff_can_leave_but_not_remove_others(client, owner):
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    other = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(staff.user)

    refused = client.post(reverse("member_remove", args=[owner.company_id, other.pk]))
    left = client.post(reverse("member_remove", args=[owner.company_id, staff.pk]))

    assert refused.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
    assert left.status_code == 302
    assert left.url == reverse("dashboard")
    assert not Membership.objects.filter(pk=staff.pk).exists()


def test_owner_withdraws_an_open_invitation(client, owner):
    invitation = invite(owner)
    client.force_login(owner.user)

    response = client.post(reverse("invitation_revoke", args=[owner.company_id, invitation.pk]))

    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert client.get(accept_path(invitation)).status_code == 404


def test_staff_cannot_withdraw_invitations(client, owner):
    invitation = invite(owner)
    staff = MembershipFactory(company=owner.company, role=MembershipRole.STAFF)
    client.force_login(staff.user)

    response = client.post(reverse("invitation_revoke", args=[owner.company_id, invitation.pk]))

    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- Other companies' ids answer 404 ---


def test_another_companys_members_page_answers_404(client, owner):
    other = MembershipFactory()
    client.force_login(owner.user)

    assert client.get(reverse("member_list", args=[other.company_id])).status_code == 404


def test_another_companys_membership_ids_answer_404(client, owner):
    other = MembershipFactory(role=MembershipRole.STAFF)
    MembershipFactory(company=other.company, role=MembershipRole.OWNER)
    client.force_login(owner.user)

    # Through my own company's URL, and through theirs.
    for company_id in (owner.company_id, other.company_id):
        assert (
            client.post(reverse("member_role", args=[company_id, other.pk]), {"role": "owner"}).status_code
            == 404
        )
        assert client.post(reverse("member_remove", args=[company_id, other.pk])).status_code == 404
        assert client.get(reverse("member_remove", args=[company_id, other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.role == MembershipRole.STAFF


def test_another_companys_invitation_ids_answer_404(client, owner):
    other_owner = MembershipFactory(company=CompanyFactory())
    theirs = invite(other_owner, email="theirs@example.com")
    client.force_login(owner.user)

    for company_id in (owner.company_id, other_owner.company_id):
        response = client.post(reverse("invitation_revoke", args=[company_id, theirs.pk]))
        assert response.status_code == 404
        response = client.post(
            reverse("invitation_create", args=[other_owner.company_id]),
            {"email": "x@example.com", "role": "owner"},
        )
        assert response.status_code == 404
    assert Invitation.objects.filter(pk=theirs.pk).exists()
