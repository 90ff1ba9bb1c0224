"""Refuse the passwords attackers try first; spend the same hash on logins that cannot succeed."""

import secrets
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

from app.text import fold

# The most common passwords in leaked lists, plus local favourites (province, product,
# "matkhau" = password). Compared case- and mark-insensitively after removing spaces.
COMMON = {
    "123456789012", "1234567890", "12345678910", "0123456789", "1111111111", "0000000000",
    "1234512345", "qwertyuiop", "1q2w3e4r5t", "1qaz2wsx3edc", "qwerty1234", "password12",
    "password123", "password1234", "passw0rd123", "abc1234567", "abcd123456", "iloveyou12",
    "admin12345", "administrator", "welcome123", "letmein123", "changeme123",
    "matkhau123", "matkhau1234", "matkhaumoi", "matkhaumoi1", "matkhaumoi123",
    "gialai12345", "gialai2025", "gialai2026", "giaoban123", "giaoban2025", "giaoban2026",
    "vietnam123", "vietnam1234", "hanoi12345", "abc@123456", "admin@1234", "admin@12345",
}


def is_common_password(password: str, username: str = "") -> bool:
    """True for a listed password, or one that is just the username with digits."""
    key = fold(password).replace(" ", "")
    if key in COMMON:
        return True
    name = fold(username).replace(" ", "").replace(".", "")
    return bool(name) and key.replace(".", "").rstrip("0123456789@!#") == name


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with method, once per process and method."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def spend_dummy_check(password: str, method: str) -> None:
    """Check password against a dummy hash of method, for a login name that has no account.

    The answer takes as long as for a real account with a wrong password, so the time of a
    failed login does not tell whether the name exists (630 ms against 40 ms with scrypt).
    """
    check_password_hash(_dummy_hash(method), password)
