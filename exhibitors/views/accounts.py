"""The person's own pages: dashboard, settings, company profile, colleagues, invitations, buyer profile."""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exhibitors.enums import MembershipRole
from exhibitors.forms.accounts import (
    BuyerProfileForm,
    CompanyForm,
    InvitationForm,
    MemberRoleForm,
    PersonalSettingsForm,
)
from exhibitors.models import BuyerProfile, Invitation, Membership
from exhibitors.permissions import membership_or_404
from exhibitors.selectors.accounts import (
    company_members,
    company_open_invitations,
    dashboard_for,
    hs_entries,
    user_verified_emails,
)
from exhibitors.services.accounts import ACCOUNT_KIND_SESSION_KEY, buyer_profile_save, user_update_settings
from exhibitors.services.companies import (
    INVITATION_VALID_FOR,
    MembershipError,
    company_create,
    company_update,
    invitation_accept,
    invitation_create,
    invitation_is_expired,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)
from exhibitors.two_factor import is_staff_member


@login_required
def dashboard(request):
    return render(
        request,
        "exhibitors/dashboard.html",
        {
            "dashboard": dashboard_for(request.user),
            "account_kind": request.session.get(ACCOUNT_KIND_SESSION_KEY),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def personal_settings(request):
    user = request.user
    form = PersonalSettingsForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_settings(user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            language = user.preferred_language
            with translation.override(language):
                messages.success(request, _("Your settings are saved."))
            return redirect(translate_url(reverse("personal_settings"), language))
    return render(
        request, "exhibitors/settings.html", {"form": form, "is_staff_member": is_staff_member(user)}
    )


# --- Company profile ---


@login_required
@require_http_methods(["GET", "POST"])
def company_create_view(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = company_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("%(company)s is registered. You are its owner.") % {"company": company})
        return redirect("dashboard")
    return render(request, "exhibitors/company_form.html", {"form": form, "company": None})


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request, company_id: int):
    company = membership_or_404(user=request.user, company_id=company_id, owner=True).company
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        company_update(company=company, **form.cleaned_data)
        messages.success(request, _("The company profile is saved."))
        return redirect("dashboard")
    return render(request, "exhibitors/company_form.html", {"form": form, "company": company})


# --- Colleagues ---


def _members_page(request, membership, *, invitation_form=None, status=200):
    company = membership.company
    is_owner = membership.role == MembershipRole.OWNER
    members = company_members(company)
    context = {
        "company": company,
        "membership": membership,
        "is_owner": is_owner,
        "members": members,
        "owner_count": sum(1 for member in members if member.role == MembershipRole.OWNER),
    }
    if is_owner:
        context["invitations"] = [
            (invitation, invitation_is_expired(invitation))
            for invitation in company_open_invitations(company)
        ]
        context["invitation_form"] = invitation_form or InvitationForm()
        context["role_choices"] = MembershipRole.choices
        context["valid_days"] = INVITATION_VALID_FOR.days
    return render(request, "exhibitors/member_list.html", context, status=status)


@login_required
def member_list(request, company_id: int):
    return _members_page(request, membership_or_404(user=request.user, company_id=company_id))


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_view(request, company_id: int):
    membership = membership_or_404(user=request.user, company_id=company_id, owner=True)
    if request.method == "GET":
        return redirect("member_list", company_id=company_id)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitation_create(
                company=membership.company,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                language=translation.get_language(),
            )
        except MembershipError as error:
            form.add_error("email", str(error.message))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("member_list", company_id=company_id)
    return _members_page(request, membership, invitation_form=form)


@login_required
@require_POST
def member_role(request, company_id: int, membership_id: int):
    membership_or_404(user=request.user, company_id=company_id, owner=True)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, company_id=company_id
    )
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner or staff."))
    else:
        try:
            membership_change_role(membership=target, role=form.cleaned_data["role"])
        except MembershipError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s.")
                % {"person": target.user, "role": MembershipRole(target.role).label.lower()},
            )
    return redirect("member_list", company_id=company_id)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, company_id: int, membership_id: int):
    own = membership_or_404(user=request.user, company_id=company_id)
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, company_id=company_id
    )
    leaving = target.pk == own.pk
    if not leaving and own.role != MembershipRole.OWNER:
        # Staff see their colleagues but cannot remove them.
        membership_or_404(user=request.user, company_id=company_id, owner=True)
    if request.method == "POST":
        try:
            membership_remove(membership=target)
        except MembershipError as error:
            messages.error(request, error.message)
            return redirect("member_list", company_id=company_id)
        if leaving:
            messages.success(request, _("You have left %(company)s.") % {"company": own.company})
            return redirect("dashboard")
        messages.success(
            request,
            _("%(person)s no longer belongs to %(company)s.")
            % {"person": target.user, "company": own.company},
        )
        return redirect("member_list", company_id=company_id)
    return render(
        request,
        "exhibitors/member_remove.html",
        {"company": own.company, "target": target, "leaving": leaving},
    )


@login_required
@require_POST
def invitation_revoke_view(request, company_id: int, invitation_id: int):
    membership_or_404(user=request.user, company_id=company_id, owner=True)
    invitation = get_object_or_404(
        Invitation, pk=invitation_id, company_id=company_id, accepted_at__isnull=True
    )
    invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("member_list", company_id=company_id)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = Invitation.objects.select_related("company", "invited_by").filter(token=token).first()
    context = {"invitation": invitation, "state": "", "role": ""}
    if invitation is None:
        context["state"] = "unknown"
        return render(request, "exhibitors/invitation_accept.html", context, status=404)
    context["role"] = MembershipRole(invitation.role).label
    accept_url = request.path
    if invitation.accepted_at is not None:
        if (
            request.user.is_authenticated
            and invitation.company.memberships.filter(user=request.user).exists()
        ):
            messages.info(request, _("You already belong to %(company)s.") % {"company": invitation.company})
            return redirect("dashboard")
        context["state"] = "used"
    elif invitation_is_expired(invitation):
        context["state"] = "expired"
    elif not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?{urlencode({'next': accept_url})}")
        # The link came to this address by e-mail, so signing up with it needs no second confirmation.
        get_adapter(request).stash_verified_email(request, invitation.email)
        context["state"] = "anonymous"
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': accept_url})}"
        context["signup_url"] = (
            f"{reverse('account_signup')}?{urlencode({'next': accept_url, 'email': invitation.email})}"
        )
    elif invitation.email.lower() not in user_verified_emails(request.user):
        context["state"] = "wrong_email"
        context["accept_url"] = accept_url
    elif request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except MembershipError as error:
            messages.error(request, error.message)
            return redirect(accept_url)
        messages.success(request, _("Welcome to %(company)s.") % {"company": invitation.company})
        return redirect("dashboard")
    else:
        context["state"] = "ready"
    return render(request, "exhibitors/invitation_accept.html", context)


# --- Buyer profile ---


@login_required
@require_http_methods(["GET", "POST"])
def buyer_profile_edit(request):
    profile = BuyerProfile.objects.filter(user=request.user).prefetch_related("sectors").first()
    form = BuyerProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            buyer_profile_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("hs_codes", error)
        else:
            messages.success(request, _("Your buyer profile is saved."))
            return redirect("dashboard")
    codes = profile.hs_codes if profile else []
    return render(
        request,
        "exhibitors/buyer_profile_form.html",
        {"form": form, "profile": profile, "hs_entries": hs_entries(codes)},
    )
