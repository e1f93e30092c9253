from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People sign in with their e-mail address; there are no usernames."""
