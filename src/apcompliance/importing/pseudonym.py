"""Keyed pseudonyms: the case id an import derives from a UPN, and the one pseudonymised
output puts in place of a case id. Only the holder of the key can link one back."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "p-"
MIN_KEY_BYTES = 16


def pseudonym(identifier: str, key: bytes) -> str:
    """A stable pseudonym for an identifier under a secret key (HMAC-SHA256, 16 hex digits)."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"a pseudonymisation key needs at least {MIN_KEY_BYTES} bytes")
    digest = hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:16]
