"""The staff tabs connected to this process, each with the session it presented.

`SCHEDE_STAFF` maps a tab's client token to the hash of the session secret
(`sessioni.hash_segreto`) it presented when its staff session was last found live: on page
load (`AccessoState`) and in every guarded handler (`StaffState`). `revoca.py` checks them all
against the database in one query, and ends the staff view of a tab whose session ended;
`diffusione.py` checks them before pushing a draft. Only the site's staff sessions are kept:
a demo sandbox's working copy is never pushed, and the demo ends idle sandboxes itself.
"""

from serena_app.auth.sessioni import Permesso, hash_segreto

SCHEDE_STAFF: dict[str, str] = {}


def ricorda(client_token: str, segreto: str, permesso: Permesso | None) -> None:
    """Note which session tab `client_token` presented (`segreto`, just found live for
    `permesso`); with no live staff session, forget the tab."""
    if permesso is not None and permesso.sandbox is None:
        SCHEDE_STAFF[client_token] = hash_segreto(segreto)
    else:
        SCHEDE_STAFF.pop(client_token, None)
