"""Persian alphabetical order as a plain string: ``sort_key(a) < sort_key(b)`` (compared code
point by code point, i.e. bytewise in UTF-8) exactly when ``a`` comes before ``b`` in a
Persian list.

Why a stored key rather than a database collation: an ICU collation exists on PostgreSQL only,
and a Python collation on SQLite (``create_collation``) must be declared on the column for an
index to serve ``ORDER BY`` — and then every tool that opens the file without Peyvand (the
``sqlite3`` shell, a backup check) fails on the unknown collation. A key computed here gives the
same SQL and the same order on both engines and walks an ordinary ``(sort_key, id)`` index. The
column is ``COLLATE "C"`` on PostgreSQL (:data:`kernel.db.SortKey`) so the server's locale
cannot reorder it.

The order: separators first, then numbers (by value: ۲ before ۱۰, digits of any script), then
Latin letters (case-folded), then the Persian alphabet
ا آ ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی, with Arabic forms folded
like their Persian twins (ي ى ئ → ی, ك → ک, ة ۀ → ه, أ إ → ا, ؤ → و), then anything else.
"""

from __future__ import annotations

import re

from kernel.persian.textnorm import normalize_text

ALPHABET = "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
# Hamza on its own is written as part of a word's alef-less spelling (جزء); it goes first.
_HAMZA = "ء"
# The letters map onto consecutive code points starting at U+0621: still two UTF-8 bytes each,
# above every Latin letter and below Arabic-script letters outside the alphabet (ڤ, ٹ), which
# sort after ی. Every input letter of U+0621–U+064A is either in the alphabet or folded.
_BASE = 0x0621
_RANK = {ch: chr(_BASE + 1 + i) for i, ch in enumerate(ALPHABET)}
# Yeh with hamza (مسئول) is a ی to the reader; normalize_text has folded the other Arabic forms.
_LETTERS = str.maketrans(_RANK | {_HAMZA: chr(_BASE), "ئ": _RANK["ی"]})
_TOKENS = re.compile(r"(\d+)|([^\W\d_]+)|[\W_]+")
# A number is its digit count (one character, '1'…'?') and its digits, so that a longer number
# is larger; runs longer than _RUN are cut into pieces (card numbers, not counted items).
_RUN = 15
LIMIT = 400


def _number(digits: str) -> str:
    out = []
    for start in range(0, len(digits), _RUN):
        piece = str(int(digits[start:start + _RUN]))  # int() reads digits of any script
        out.append(chr(ord("0") + len(piece)) + piece)
    return "".join(out)


def sort_key(text: str | None) -> str:
    """The key whose code-point order is the Persian alphabetical order of ``text``."""
    if not text:
        return ""
    # normalize_text folds Arabic forms, drops ZWNJ and marks, turns digits ASCII, folds case.
    norm = normalize_text(text).translate(_LETTERS)
    parts: list[str] = []
    for m in _TOKENS.finditer(norm):
        if m.group(1) is not None:
            parts.append(_number(m.group(1)))
        elif m.group(2) is not None:
            parts.append(m.group(2))
        elif parts and parts[-1] != " ":
            # Spaces and punctuation separate words and come before any letter (علی < علیرضا).
            parts.append(" ")
    return "".join(parts).rstrip(" ")[:LIMIT]
