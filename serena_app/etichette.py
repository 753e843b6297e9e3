"""What each editable part of the page is called in the edit controls and announcements."""

SEZIONI_MODIFICABILI = {
    "storia_intro": "introduzione della storia",
    "storia_testo": "storia completa",
    "mission": "mission",
    "vision": "vision",
    "valori_intro": "introduzione dei valori",
}
"""Section key → its name in "Modifica …" buttons. Only these keys can be edited."""

SEZIONI_FACOLTATIVE = {"storia_intro"}
"""Sections that may be left empty."""


def id_controllo(azione: str, chiave: str) -> str:
    """The HTML id of an edit control, e.g. ("apri", "tappa:3") → "apri-tappa-3".

    The state moves keyboard focus back to these controls when an editor closes.
    """
    return f"{azione}-{chiave}".replace(":", "-")
