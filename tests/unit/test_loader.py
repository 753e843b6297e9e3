"""The seed loader: the content file quotes the seed, and lands in the database exactly once."""

from pathlib import Path

from sqlmodel import Session, select

from serena_app.contenuto.istantanea import paragrafi
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, versione_pagina
from serena_app.contenuto.semina import semina
from serena_app.models import Sezione, Tappa, Valore

SEED = Path(__file__).resolve().parents[1] / "data" / "cooperativa-serena.txt"
"""The cooperative's own text, as received: the content file must quote it verbatim."""


def _righe(session: Session, modello, pagina=PUBBLICATA) -> list:
    """The rows of `modello` on `pagina`, in the page's order."""
    query = select(modello).where(modello.pagina == pagina.nome)
    if modello is not Sezione:
        query = query.order_by(modello.posizione)
    return list(session.exec(query))


def _testi_in_db(session: Session, pagina=PUBBLICATA) -> list[str]:
    testi = [p for s in _righe(session, Sezione, pagina) for p in paragrafi(s.testo)]
    testi += [v.testo for v in _righe(session, Valore, pagina)]
    return testi


def test_content_file_quotes_the_seed_verbatim(contenuto):
    seed = SEED.read_text(encoding="utf-8")
    quoted = [p for testo in contenuto["sezioni"].values() for p in paragrafi(testo)]
    quoted += [t["testo"] for t in contenuto["tappe"]]
    quoted += [v["testo"] for v in contenuto["valori"]]
    missing = [q[:60] for q in quoted if q not in seed]
    assert missing == []


def test_every_seed_paragraph_lands_exactly_once(session, contenuto):
    assert semina(session=session, contenuto=contenuto) is True
    in_db = _testi_in_db(session)
    sezioni = [contenuto["descrizione"], contenuto["sottotitolo"], *contenuto["sezioni"].values()]
    expected = [p for testo in sezioni for p in paragrafi(testo)]
    expected += [v["testo"] for v in contenuto["valori"]]
    assert sorted(in_db) == sorted(expected)
    assert len(set(in_db)) == len(in_db)
    assert _testi_in_db(session, BOZZA) == in_db  # the working copy staff edit, made with it


def test_seeding_keeps_the_content_file_order(session, contenuto):
    semina(session=session, contenuto=contenuto)
    tappe = _righe(session, Tappa)
    valori = _righe(session, Valore)
    assert [(t.anno, t.titolo) for t in tappe] == [
        (t.get("anno"), t["titolo"]) for t in contenuto["tappe"]
    ]
    assert [v.titolo for v in valori] == [v["titolo"] for v in contenuto["valori"]]


def test_seeding_a_seeded_database_changes_nothing(session, contenuto):
    semina(session=session, contenuto=contenuto)
    session.get(Sezione, ("pubblicata", "mission")).testo = "Testo cambiato dallo staff."
    session.commit()
    assert semina(session=session, contenuto=contenuto) is False
    assert session.get(Sezione, ("pubblicata", "mission")).testo == "Testo cambiato dallo staff."
    assert len(_righe(session, Valore)) == len(contenuto["valori"])


def test_a_page_seeded_before_the_subtitle_was_editable_gets_it_from_the_content_file(
    session, contenuto
):
    semina(session=session, contenuto=contenuto)
    for pagina in (PUBBLICATA, BOZZA):
        session.delete(session.get(Sezione, (pagina.nome, "sottotitolo")))
    session.get(Sezione, ("pubblicata", "mission")).testo = "Testo cambiato dallo staff."
    session.commit()
    assert semina(session=session, contenuto=contenuto) is False
    for pagina in (PUBBLICATA, BOZZA):  # and the working copy staff edit has it too
        assert session.get(Sezione, (pagina.nome, "sottotitolo")).testo == contenuto["sottotitolo"]
    assert session.get(Sezione, ("pubblicata", "mission")).testo == "Testo cambiato dallo staff."
    assert len(_righe(session, Tappa)) == len(contenuto["tappe"])


def test_overwriting_a_page_puts_the_seed_back_and_bumps_its_counter(session, contenuto):
    semina(session=session, contenuto=contenuto)
    prima = versione_pagina(session=session, pagina=PUBBLICATA)
    session.get(Sezione, (PUBBLICATA.nome, "mission")).testo = "Testo cambiato dallo staff."
    session.add(Valore(pagina=PUBBLICATA.nome, titolo="In più", testo="Testo.", posizione=99))
    session.commit()
    assert semina(session=session, contenuto=contenuto, sovrascrivi=True) is True
    session.expire_all()
    assert (
        session.get(Sezione, (PUBBLICATA.nome, "mission")).testo == contenuto["sezioni"]["mission"]
    )
    assert len(_righe(session, Valore)) == len(contenuto["valori"])
    assert versione_pagina(session=session, pagina=PUBBLICATA) == prima + 1
