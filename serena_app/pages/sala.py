"""`/demo/sala`, the presenter's view of a demo (`sections/sala.py`). Only a demo server has
this page (`serena_app.py`)."""

import reflex as rx

from serena_app.sections.sala import vista_sala


def sala() -> rx.Component:
    """The page: the view alone, without the site's header (it is projected)."""
    return vista_sala()
