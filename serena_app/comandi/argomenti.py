"""The `serena` command's parser, speaking Italian like the rest of the command: argparse's
usage, help and errors are English, and Python ships no Italian for them.

An error quotes what was typed escaped (`sicuro`), its sub-commands' parsers too.
"""

import argparse
import re
import sys

from serena_app.comandi.terminale import sicuro

ERRORI = [
    (r"^the following arguments are required: (.*)$", r"mancano questi argomenti: \1"),
    (r"^unrecognized arguments: (.*)$", r"argomenti non riconosciuti: \1"),
    (
        r"^argument (.*?): invalid choice: (.*) \(choose from (.*)\)$",
        r"argomento \1: scelta non valida: \2 (si può scegliere tra \3)",
    ),
    (r"^argument (.*?): invalid (\w+) value: (.*)$", r"argomento \1: valore non valido: \3"),
    (r"^argument (.*?): expected one argument$", r"argomento \1: serve un valore"),
    (r"^argument (.*?): not allowed with argument (.*)$", r"argomento \1: non insieme a \2"),
]
"""argparse's messages (Python 3.11) and their Italian; one not listed stays English."""


def in_italiano(messaggio: str) -> str:
    for inglese, italiano in ERRORI:
        if re.match(inglese, messaggio):
            return re.sub(inglese, italiano, messaggio)
    return messaggio


class _Formato(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="uso: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose usage, help and errors are in Italian."""

    def __init__(self, *argomenti, **chiavi):
        chiavi.setdefault("formatter_class", _Formato)
        super().__init__(*argomenti, add_help=False, **chiavi)
        self._positionals.title = "argomenti"
        self._optionals.title = "opzioni"
        self.add_argument("-h", "--help", action="help", help="mostra questo aiuto ed esce")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: errore: {sicuro(in_italiano(message))}\n")
