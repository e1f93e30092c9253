"""The ICE servers a call page is given: STUN and TURN from settings, with time-limited TURN credentials.

TURN credentials follow the TURN REST scheme that coturn checks with `use-auth-secret`: the username is
`<expiry unix time>:<user id>` and the credential is base64(HMAC-SHA1(shared secret, username)). Nothing is
stored: coturn recomputes the credential from the username and refuses it once the expiry has passed, so a
leaked credential is worth at most FERIA_TURN_TTL_SECONDS. With no STUN or TURN configured the list is empty
and browsers use host candidates only, which connect peers on the same machine or network.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings


def turn_credentials(*, user_id: int, secret: str, ttl_seconds: int, now: float | None = None) -> dict:
    """{"username", "credential", "expires"} for one person, valid for `ttl_seconds` from `now`."""
    expires = int(now if now is not None else time.time()) + int(ttl_seconds)
    username = f"{expires}:{int(user_id)}"
    digest = hmac.new(secret.encode("utf-8"), username.encode("utf-8"), hashlib.sha1).digest()
    return {"username": username, "credential": base64.b64encode(digest).decode("ascii"), "expires": expires}


def ice_servers(*, user_id: int, now: float | None = None) -> list[dict]:
    """RTCPeerConnection's `iceServers` for this person (STUN first, then TURN with fresh credentials)."""
    servers: list[dict] = []
    if settings.FERIA_STUN_URLS:
        servers.append({"urls": list(settings.FERIA_STUN_URLS)})
    if settings.FERIA_TURN_URLS and settings.FERIA_TURN_SECRET:
        credentials = turn_credentials(
            user_id=user_id,
            secret=settings.FERIA_TURN_SECRET,
            ttl_seconds=settings.FERIA_TURN_TTL_SECONDS,
            now=now,
        )
        servers.append(
            {
                "urls": list(settings.FERIA_TURN_URLS),
                "username": credentials["username"],
                "credential": credentials["credential"],
            }
        )
    return servers
