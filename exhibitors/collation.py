"""Sorting names the way a reader of the language expects, without ICU."""

import unicodedata


def collation_key(text: str, language: str) -> tuple[str, str]:
    """Sort key for names in the reader's language, close to its dictionary order: accents and case count
    only between otherwise equal names (French "Équateur" sorts among the E's, not after "Zambie"); in
    Spanish "ñ" is a letter of its own, after "n"."""
    folded = text.casefold()
    if language.split("-")[0] == "es":
        folded = folded.replace("ñ", "n\U0010ffff")
    base = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    return base, folded
