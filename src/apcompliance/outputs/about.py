"""What `apcompliance --version` prints: the package's version, the version of the case and
assessment schemas, and which policy text and rule book it applies."""

from __future__ import annotations

import hashlib
from importlib import metadata

from apcompliance.language.rulebook import load_rulebook
from apcompliance.outputs.schemas import SCHEMA_VERSION
from apcompliance.policy.document import POLICY_TITLE, policy_text
from apcompliance.results.trace import rule_book_digest


def package_version() -> str:
    """The installed package's version (from its metadata)."""
    try:
        return metadata.version("apcompliance")
    except metadata.PackageNotFoundError:  # run from a source tree never installed
        return "unknown (not installed)"


def version_text() -> str:
    """Four lines: the version, the schema version, the policy's text and the rule book (its
    digest is the one an assessment's trace records as `rule_book_digest`)."""
    text_digest = hashlib.sha256(policy_text().encode("utf-8")).hexdigest()[:16]
    book = load_rulebook()
    return (
        f"apcompliance {package_version()}\n"
        f"schema version {SCHEMA_VERSION} (cases and assessments)\n"
        f"policy: {POLICY_TITLE} (bundled text, sha256 {text_digest})\n"
        f"rules: {len(book.rules)} bundled rules, digest {rule_book_digest(book)}\n"
    )
