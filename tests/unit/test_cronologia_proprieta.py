"""Random sequences of what two staff members do (save, add, delete, move, publish, discard,
restore, undo) never lose a text: a hypothesis state machine on a real SQLite database."""

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlmodel import Session, func, select

from serena_app.contenuto import bozze, cronologia, pagina
from serena_app.contenuto.cronologia import GiaAttuale, NonAnnullabile
from serena_app.contenuto.pagina import (
    BOZZA,
    PUBBLICATA,
    SITO,
    Conflitto,
    NonTrovato,
    OrdineNonValido,
)
from serena_app.contenuto.semina import semina
from serena_app.contenuto.tipi import SEZIONE, VALORE, Voce
from serena_app.db import crea_engine, migra
from serena_app.models import Revisione, Valore

STAFF = st.sampled_from(["anna", "bruno"])
TESTI = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(lambda t: f"T{t}.")
MISSION = Voce(SEZIONE.nome, "mission")


@pytest.fixture(scope="module")
def modello_db(tmp_path_factory) -> Path:
    """A migrated, seeded database, copied for each run of the machine."""
    file = tmp_path_factory.mktemp("cronologia") / "modello.db"
    engine = crea_engine(f"sqlite:///{file}")
    migra(engine)
    with Session(engine) as session:
        semina(session=session)
        bozze.apri(session=session, spazio=SITO)
    engine.dispose()
    return file


class DueRedattori(RuleBasedStateMachine):
    modello: Path

    def __init__(self) -> None:
        super().__init__()
        self.cartella = Path(tempfile.mkdtemp())
        shutil.copy(self.modello, self.cartella / "serena.db")
        self.engine = crea_engine(f"sqlite:///{self.cartella / 'serena.db'}")
        self.session = Session(self.engine, expire_on_commit=True)
        self.pubblicata = self._pagina(PUBBLICATA)
        self.salvati: set[str] = set()
        self.nella_storia: set[str] = set()
        self.prima_id = self.session.exec(select(func.min(Revisione.id))).one()
        self.ultima_vista = self.session.exec(select(func.max(Revisione.id))).one()
        # The working copy as it stood after each revision: what an undo must give back.
        self.stati = {self.ultima_vista: self._pagina(BOZZA)}
        self.ultima_vista = 0

    def teardown(self) -> None:
        self.session.close()
        self.engine.dispose()
        shutil.rmtree(self.cartella, ignore_errors=True)

    def _pagina(self, quale) -> dict:
        self.session.expire_all()
        return pagina.contenuto_di(session=self.session, pagina=quale)

    def _valori(self) -> list[Valore]:
        self.session.expire_all()
        return pagina.leggi_elenco(session=self.session, pagina=BOZZA, modello=Valore)

    @rule(autore=STAFF, testo=TESTI)
    def salva_mission(self, autore, testo):
        attuale = pagina.leggi_elemento(session=self.session, pagina=BOZZA, voce=MISSION)
        pagina.salva(
            session=self.session,
            pagina=BOZZA,
            voce=MISSION,
            campi={"testo": testo},
            versione=attuale.versione,
            autore=autore,
        )
        self.salvati.add(testo)

    @rule(autore=STAFF, testo=TESTI, quale=st.integers(0, 40))
    def salva_valore(self, autore, testo, quale):
        valori = self._valori()
        if not valori:
            return
        valore = valori[quale % len(valori)]
        pagina.salva(
            session=self.session,
            pagina=BOZZA,
            voce=Voce(VALORE.nome, id=valore.id),
            campi={"titolo": valore.titolo, "testo": testo},
            versione=valore.versione,
            autore=autore,
        )
        self.salvati.add(testo)

    @rule(autore=STAFF, testo=TESTI)
    def aggiungi(self, autore, testo):
        if len(self._valori()) < VALORE.massimo:
            pagina.aggiungi(
                session=self.session,
                pagina=BOZZA,
                tipo=VALORE,
                campi={"titolo": testo, "testo": testo},
                autore=autore,
            )
            self.salvati.add(testo)

    @rule(autore=STAFF, quale=st.integers(0, 40))
    def elimina(self, autore, quale):
        valori = self._valori()
        if len(valori) > 1:
            valore = valori[quale % len(valori)]
            pagina.elimina(
                session=self.session,
                pagina=BOZZA,
                voce=Voce(VALORE.nome, id=valore.id),
                versione=valore.versione,
                autore=autore,
            )

    @rule(autore=STAFF, quale=st.integers(0, 40), di=st.sampled_from([-1, 1]))
    def sposta(self, autore, quale, di):
        valori = self._valori()
        valore = valori[quale % len(valori)]
        try:
            pagina.sposta(
                session=self.session,
                pagina=BOZZA,
                voce=Voce(VALORE.nome, id=valore.id),
                di=di,
                autore=autore,
            )
        except OrdineNonValido:
            self.session.rollback()

    @rule(autore=STAFF)
    def pubblica(self, autore):
        attesa = self._pagina(BOZZA)
        bozze.pubblica(session=self.session, spazio=SITO, autore=autore)
        self.pubblicata = attesa

    @rule(autore=STAFF)
    def scarta(self, autore):
        bozze.scarta(session=self.session, spazio=SITO, autore=autore)
        assert self._pagina(BOZZA) == self._pagina(PUBBLICATA)

    @rule(autore=STAFF, quale=st.integers(0, 10_000))
    def ripristina(self, autore, quale):
        revisioni = self.session.exec(select(Revisione).where(Revisione.tipo != bozze.PAGINA)).all()
        revisione = revisioni[quale % len(revisioni)]
        dati = json.loads(revisione.dopo or revisione.prima)
        if revisione.tipo == VALORE.nome and len(self._valori()) >= VALORE.massimo:
            return
        prima = self._pagina(BOZZA)
        try:
            cronologia.ripristina(
                session=self.session, spazio=SITO, numero=revisione.id, autore=autore
            )
        except GiaAttuale:  # that version is the current one: nothing is written
            self.session.rollback()
            assert self._pagina(BOZZA) == prima
        bozza = self._pagina(BOZZA)
        assert dati["testo"] in [
            *bozza["sezioni"].values(),
            *(e["testo"] for elenco in ("tappe", "valori") for e in bozza[elenco]),
        ]

    @rule(autore=STAFF)
    def annulla(self, autore):
        prima = self._pagina(BOZZA)
        candidata = cronologia.ultima_annullabile(session=self.session, spazio=SITO, autore=autore)
        try:
            annullata = cronologia.annulla_ultima(session=self.session, spazio=SITO, autore=autore)
        except (NonAnnullabile, Conflitto, NonTrovato, OrdineNonValido):
            self.session.rollback()
            assert self._pagina(BOZZA) == prima  # a refused undo changes nothing
            return
        assert candidata is not None and annullata.id == candidata.id
        # The undone item stands as it did before that change.
        if annullata.prima is not None:
            indietro = json.loads(annullata.prima)
            assert indietro["testo"] in _testi(self._pagina(BOZZA))
        # Undoing the very last change gives back the whole working copy as it was before it.
        if annullata.id == self.ultima_vista:
            precedente = max(i for i in self.stati if i < annullata.id)
            assert self._pagina(BOZZA) == self.stati[precedente]

    @invariant()
    def pubblicato_e_l_ultima_pubblicazione(self):
        assert self._pagina(PUBBLICATA) == self.pubblicata

    @invariant()
    def nessun_testo_perso_e_la_cronologia_cresce(self):
        nuove = self.session.exec(
            select(Revisione).where(Revisione.id > self.ultima_vista).order_by(Revisione.id)
        ).all()
        for r in nuove:
            for dati in (r.prima, r.dopo):
                if dati:
                    self.nella_storia.update(_testi(json.loads(dati)))
        if nuove:
            self.ultima_vista = nuove[-1].id
            self.stati[self.ultima_vista] = self._pagina(BOZZA)
        # Nothing was removed: the oldest revisions are all still there.
        contate = self.session.exec(select(func.count()).select_from(Revisione)).one()
        assert contate == self.ultima_vista - self.prima_id + 1
        assert self.salvati <= self.nella_storia


def _testi(dati) -> set[str]:
    if isinstance(dati, str):
        return {dati}
    if isinstance(dati, dict):
        return set().union(*(_testi(v) for v in dati.values())) if dati else set()
    if isinstance(dati, list):
        return set().union(*(_testi(v) for v in dati)) if dati else set()
    return set()


def test_two_staff_members_never_lose_a_text(modello_db):
    DueRedattori.modello = modello_db
    DueRedattori.TestCase.settings = settings(
        max_examples=60,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    DueRedattori.TestCase().runTest()
