"""La nostra mission and La nostra vision: two sections of running text."""

import reflex as rx

from serena_app.components.testo import testo_modificabile
from serena_app.contenuto.seme import titolo
from serena_app.lingue import lingua


def _sezione_di_testo(chiave: str) -> rx.Component:
    return rx.el.section(
        rx.el.h2(titolo(chiave, lingua()), id=f"{chiave}-titolo"),
        testo_modificabile(chiave, class_name="testo"),
        id=chiave,
        aria_labelledby=f"{chiave}-titolo",
        class_name=f"sezione sezione-{chiave}",
    )


def mission() -> rx.Component:
    """The mission."""
    return _sezione_di_testo("mission")


def vision() -> rx.Component:
    """The vision."""
    return _sezione_di_testo("vision")
