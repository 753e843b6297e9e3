"""Running text: a list of paragraphs from the state, rendered as plain text."""

import reflex as rx
from reflex.vars import Var


def paragrafi(testi: Var, **props) -> rx.Component:
    """One <p> per paragraph; text is always rendered as text, never as HTML."""
    return rx.el.div(rx.foreach(testi, lambda p: rx.el.p(p)), **props)
