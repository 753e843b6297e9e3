"""Presence in edit mode: who else is editing the same space now, and which item they have open.

No Reflex here. `nomi` turns an account's `nome_utente` into the name and initials shown;
`voci` holds the entries (one per staff tab in edit mode, never a table: a dict in process
memory with one process, Redis keys with a TTL with several) and what one tab may see of
them; `schede` is this process's side: the tabs in edit mode it serves, and the writes of
their entries, coalesced. The Reflex side (heartbeat, pushes to tabs) is
`state/presenza.py`.
"""
