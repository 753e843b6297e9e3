"""Writing help while editing: how readable a text is, and plain-language hints.

No Reflex and no database: `conteggi` counts sentences, words and letters by written rules,
`indici` turns the counts into the Gulpease index (Italian) or Flesch reading ease (English)
with their bands and a reading time, `suggerimenti` finds what to fix, and `pagina` sums up
a whole page and how a draft changes it. The editors (`state/leggibilita.py`) and the
publish confirmation read these; the figures are advice, never a reason to refuse a save.
"""
