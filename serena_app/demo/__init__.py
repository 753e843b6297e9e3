"""The live-demo mode: `serena demo` starts the site on a throwaway database, and every browser
that presses "Prova la modalità modifica" gets a private sandbox to edit.

* `modalita.py`: whether this server is a demo, and its limits (from the environment).
* `sandbox.py`: opening, resetting and ending sandboxes in the database.
* `capienza.py`: what one sandbox may hold and how fast it may change, checked by every write.
* `comando.py`: the `serena demo` command (the addresses, the QR code, the server).
"""
