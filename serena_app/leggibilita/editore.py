"""An open editor's figures, from what its fields hold now."""

from serena_app.contenuto.seme import titolo
from serena_app.contenuto.tipi import TAPPA, VALORE, Voce
from serena_app.leggibilita.figure import FigureEditor, per_editore
from serena_app.leggibilita.indici import misura
from serena_app.leggibilita.suggerimenti import suggerimenti

SEZIONE_DI = {TAPPA.nome: "storia", VALORE.nome: "valori"}
"""The section a milestone or a value is listed under (its heading: `seme.titolo`)."""


def figure_di(voce: Voce, testi: dict[str, str]) -> FigureEditor:
    """The figures of the editor of `voce` whose fields hold `testi` (by field name): the
    index over its running text (the multi-line field), the hints over every field."""
    campi = [c for c in voce.campi if c.contato]
    testo = "\n\n".join(testi.get(c.nome, "") for c in campi if c.multilinea)
    chiave = SEZIONE_DI.get(voce.tipo)
    return per_editore(
        misura(testo, voce.lingua),
        suggerimenti(
            {c.nome.removesuffix(f"_{voce.lingua}"): testi.get(c.nome, "") for c in campi},
            {c.nome.removesuffix(f"_{voce.lingua}"): c.etichetta for c in campi},
            intestazione=titolo(chiave, voce.lingua) if chiave else "",
            descrizione=voce.chiave == "descrizione",
        ),
    )
