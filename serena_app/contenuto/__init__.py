"""The content layer: the editable kinds and their checks, the page's reads and writes, drafts,
history, the snapshot of a page per version, and the seed. Small keyword-only functions taking a
database session; nothing here knows Reflex."""
