"""The two staff roles, and what each may do.

A **redattore** edits the working copy, reads the history and asks for publication. A
**responsabile** does all that and also publishes, discards the drafts, restores a published
version, schedules publishes and manages people. A demo sandbox's editor is a responsabile of
its own sandbox only (`sessioni.permesso`).

Whether a role may do what needs another is `sessioni.puo`. Every guarded handler names the
role it needs (`state/guardia.richiede_staff`, `solo_responsabile`);
`tests/state/test_inventario.py` holds the list.
"""

REDATTORE = "redattore"
RESPONSABILE = "responsabile"
RUOLI = (REDATTORE, RESPONSABILE)
"""From the fewest powers to the most."""

SOLO_RESPONSABILE = "Solo un responsabile può farlo: nulla è cambiato."
