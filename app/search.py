"""Text search, one meaning for every list and picker.

What the user types is folded (lower case, marks stripped, đ -> d) and split into words;
every word must appear in at least one of the searched columns, which hold folded text.
"%" and "_" are plain characters, never LIKE wildcards. So "truong hoc" finds "Trường học",
"hoc truong" finds it too, and "100%" finds only text with "100%" in it.
"""

from sqlalchemy import and_, func, or_, true

from app.text import fold

MAX_WORDS = 10  # more words than a title has narrow nothing and cost a LIKE each
MAX_LENGTH = 100  # the list forms' own limit


def words(q: str | None) -> list[str]:
    """The folded words of q that a search looks for."""
    return fold((q or "")[:MAX_LENGTH]).split()[:MAX_WORDS]


def matches(q: str | None, *columns):
    """SQL: every word of q appears in one of columns (folded text columns); true when q is blank."""
    found = words(q)
    if not found:
        return true()
    return and_(*(or_(*(column.contains(word, autoescape=True) for column in columns)) for word in found))


def code_column(column):
    """A code column (ASCII, any case) in the form matches() compares with: lower case."""
    return func.lower(column)


def matches_text(q: str | None, *folded_texts: str) -> bool:
    """Python twin of matches(), for rows already in memory."""
    return all(any(word in text for text in folded_texts) for word in words(q))
