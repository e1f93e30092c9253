"""The site's Ed25519 key for receipts (docs/records.md, "Keys").

`FERIA_RECORDS_SIGNING_KEY` holds the raw 32-byte private key in base64. Production settings refuse to start
without it; elsewhere, without it, a key is derived from SECRET_KEY and a warning is logged, so development
receipts verify across restarts but prove nothing.
"""

import base64
import binascii
import hashlib
import logging
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("feria.records")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """The key from its base64 form; ImproperlyConfigured when it is not 32 bytes of base64."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured("FERIA_RECORDS_SIGNING_KEY is not base64.") from error
    if len(raw) != 32:
        raise ImproperlyConfigured("FERIA_RECORDS_SIGNING_KEY must be a raw 32-byte Ed25519 key in base64.")
    return Ed25519PrivateKey.from_private_bytes(raw)


@cache
def signing_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "FERIA_RECORDS_SIGNING_KEY", "")
    if configured:
        return private_key_from_text(configured)
    logger.warning(
        "FERIA_RECORDS_SIGNING_KEY is not set: record receipts are signed with a key derived from SECRET_KEY "
        "(fine for development, never for a real site)."
    )
    seed = hashlib.sha256(b"feria-records-signing-key:" + settings.SECRET_KEY.encode("utf-8")).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_raw() -> bytes:
    return public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(raw_public_key: bytes | None = None) -> str:
    """The first 16 hex digits of SHA-256 over the raw public key: names the key a receipt was signed with."""
    return hashlib.sha256(raw_public_key or public_key_raw()).hexdigest()[:16]


def sign(message: bytes) -> str:
    return base64.b64encode(signing_key().sign(message)).decode("ascii")


def signature_valid(message: bytes, signature_b64: str) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        public_key().verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
