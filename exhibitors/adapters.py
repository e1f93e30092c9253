from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Q
from django.shortcuts import resolve_url
from django.urls import translate_url
from django.utils import translation

from exhibitors.models import User
from exhibitors.selectors.accounts import onboarding_url_name
from exhibitors.services.accounts import ACCOUNT_KIND_SESSION_KEY
from exhibitors.services.mail import chamber_name, email_enqueue, site_url_rebase

# Links allauth puts in its e-mails; they are rewritten to the recipient's language prefix.
EMAIL_LINK_KEYS = ("activate_url", "password_reset_url", "signup_url")


# (notice, view adding it) pairs left out: after sign-up (or signing in unconfirmed) the next page itself says
# the link was sent; on confirming, "You have confirmed …" is enough, the header shows the person signed in.
_REPEATED_NOTICES = {
    ("account/messages/email_confirmation_sent.txt", "account_signup"),
    ("account/messages/email_confirmation_sent.txt", "account_login"),
    ("account/messages/logged_in.txt", "account_confirm_email"),
}


def recipient_language(email: str) -> str | None:
    """The preferred language of the person an address belongs to, if it is one of ours."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .values_list("preferred_language", flat=True)
        .first()
    )


class AccountAdapter(DefaultAccountAdapter):
    """People sign in with their e-mail address; there are no usernames. E-mails go out in the
    recipient's language, and the first sign-in continues where sign-up left off."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the recipient's language; the task worker sends it."""
        request = allauth_context.request
        language = recipient_language(email)
        if language not in dict(settings.LANGUAGES):
            # Nobody's address yet (e.g. "no account with this address"): the page's language.
            language = translation.get_language() or settings.LANGUAGE_CODE
        # Links were built in the page's language and on the request's host; translate_url resolves them in
        # that language, so it runs before switching to the recipient's; then they move to the site's
        # configured public origin (FERIA_SITE_URL), which is where the recipient can reach it.
        context = {
            key: site_url_rebase(translate_url(value, language))
            if key in EMAIL_LINK_KEYS and isinstance(value, str)
            else value
            for key, value in context.items()
        }
        next_url = get_next_redirect_url(request) if request is not None else None
        if next_url and isinstance(context.get("activate_url"), str):
            # Confirming (in this browser or another) continues where sign-up started: a booth, a chat.
            context["activate_url"] += "?" + urlencode({REDIRECT_FIELD_NAME: next_url})
        with translation.override(language):
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "request": request,
                    "email": email,
                    "current_site": get_current_site(request),
                    "site_name": chamber_name(),
                    **context,
                },
                headers={"Content-Language": language},
            )
        email_enqueue(message)

    def format_email_subject(self, subject: str) -> str:
        """Subjects start with the chamber's name, never the host the request came to."""
        return f"[{chamber_name()}] {subject}"

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ) -> None:
        """allauth's notices, minus those that would say the same thing twice on the next page."""
        view = getattr(request.resolver_match, "url_name", None)
        if (message_template, view) in _REPEATED_NOTICES:
            return
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )

    def get_login_redirect_url(self, request) -> str:
        user = request.user
        next_step = onboarding_url_name(user=user, account_kind=request.session.get(ACCOUNT_KIND_SESSION_KEY))
        url = resolve_url(next_step or settings.LOGIN_REDIRECT_URL)
        if user.preferred_language in dict(settings.LANGUAGES):
            url = translate_url(url, user.preferred_language)
        return url

    def get_signup_redirect_url(self, request) -> str:
        return self.get_login_redirect_url(request)
