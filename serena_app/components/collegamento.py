"""A plain HTML link. `rx.el.a` is React Router's Link, which neither scrolls to nor moves
focus to a `#fragment` target; skip links and section anchors need the browser's own link."""

import reflex as rx
from reflex_components_core.el.elements.inline import A


def collegamento(*children, href: str | rx.Var, **props) -> rx.Component:
    """An `<a href>` handled by the browser, not by the client-side router."""
    return A.create(*children, href=href, **props)
