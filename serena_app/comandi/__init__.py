"""The `serena` console command and what it runs: export/import, backup/restore, audit, and the
safe printing of stored text."""
