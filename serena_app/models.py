"""Every table of the site: the page's content and its history, staff accounts, their sessions
(a demo sandbox's too), failed logins, the audit log and a few settings.

Content rows belong to a page (`pagina`: "pubblicata", the working copy "bozza", a demo
sandbox's "demo-…" and "demo-…-bozza"; see `pagina.Spazio`). Text limits come from the field
descriptions in `tipi.py`. Each text has its English version in the same row ("testo_en",
None until translated) and the Italian it was translated from ("fonte_en", JSON), which tells
when the English is out of date (`contenuto/traduzioni.py`).
"""

import uuid
from datetime import datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from serena_app.auth.ruoli import REDATTORE
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE

PAGINA_MAX = 64
MESSAGGIO_MAX = 500  # a publication request's message, or the note of its decision


class Sezione(SQLModel, table=True):
    """A block of running text on the page (e.g. the mission), paragraphs split by a blank line."""

    pagina: str = Field(primary_key=True, max_length=PAGINA_MAX)
    chiave: str = Field(primary_key=True, max_length=40)
    testo: str = Field(default="", max_length=SEZIONE.campo("testo").massimo)
    testo_en: str | None = Field(default=None, max_length=SEZIONE.campo("testo_en").massimo)
    fonte_en: str | None = Field(default=None, sa_type=Text)  # see `contenuto/traduzioni.py`
    versione: int = Field(default=1)
    autore: str | None = Field(default=None, max_length=64)  # in a draft: who changed it
    modificata: datetime | None = Field(default=None)  # in a draft: when


class Tappa(SQLModel, table=True):
    """A milestone of the history timeline."""

    id: int | None = Field(default=None, primary_key=True)
    pagina: str = Field(index=True, max_length=PAGINA_MAX)
    anno: int | None = Field(default=None)
    titolo: str = Field(max_length=TAPPA.campo("titolo").massimo)
    testo: str = Field(max_length=TAPPA.campo("testo").massimo)
    titolo_en: str | None = Field(default=None, max_length=TAPPA.campo("titolo_en").massimo)
    testo_en: str | None = Field(default=None, max_length=TAPPA.campo("testo_en").massimo)
    fonte_en: str | None = Field(default=None, sa_type=Text)  # see `contenuto/traduzioni.py`
    posizione: int = Field(index=True)
    versione: int = Field(default=1)
    autore: str | None = Field(default=None, max_length=64)  # in a draft: who changed it
    modificata: datetime | None = Field(default=None)  # in a draft: when
    origine: int | None = Field(default=None)  # in a draft: the published row it copies
    codice: str = Field(default_factory=lambda: uuid.uuid4().hex, max_length=32, index=True)
    """The item's lasting name, the same on every page and after every publish (history)."""


class Valore(SQLModel, table=True):
    """One of the cooperative's values: a short title and the full sentence."""

    id: int | None = Field(default=None, primary_key=True)
    pagina: str = Field(index=True, max_length=PAGINA_MAX)
    titolo: str = Field(max_length=VALORE.campo("titolo").massimo)
    testo: str = Field(max_length=VALORE.campo("testo").massimo)
    titolo_en: str | None = Field(default=None, max_length=VALORE.campo("titolo_en").massimo)
    testo_en: str | None = Field(default=None, max_length=VALORE.campo("testo_en").massimo)
    fonte_en: str | None = Field(default=None, sa_type=Text)  # see `contenuto/traduzioni.py`
    posizione: int = Field(index=True)
    versione: int = Field(default=1)
    autore: str | None = Field(default=None, max_length=64)  # in a draft: who changed it
    modificata: datetime | None = Field(default=None)  # in a draft: when
    origine: int | None = Field(default=None)  # in a draft: the published row it copies
    codice: str = Field(default_factory=lambda: uuid.uuid4().hex, max_length=32, index=True)
    """The item's lasting name, the same on every page and after every publish (history)."""


class VersionePagina(SQLModel, table=True):
    """A page's change counter: its number goes up with every write to that page's content, in
    the same transaction (`UPDATE … SET numero = numero + 1 … RETURNING`).

    A server compares it with the snapshot it holds to know when to read the page again.
    """

    pagina: str = Field(primary_key=True, max_length=PAGINA_MAX)
    numero: int = Field(default=0)


class Revisione(SQLModel, table=True):
    """One change to content, kept for good: rows are only ever added (history, undo).

    `spazio` is the published page of the site or demo sandbox changed; `chiave` the section's
    key, the item's `codice`, or "" for the whole page (a publish: `dopo` holds the published
    page). `prima` and `dopo` are the item's fields as JSON (None where it did not exist);
    `annulla` names the revision an undo reversed.
    """

    __table_args__ = (
        Index("ix_revisione_spazio_chiave", "spazio", "chiave"),
        Index("ix_revisione_spazio_autore", "spazio", "autore"),
    )

    id: int | None = Field(default=None, primary_key=True)
    spazio: str = Field(max_length=PAGINA_MAX)
    tipo: str = Field(max_length=16)
    chiave: str = Field(max_length=40)
    azione: str = Field(max_length=16)
    autore: str | None = Field(default=None, max_length=64)
    quando: datetime
    prima: str | None = Field(default=None, sa_type=Text)
    dopo: str | None = Field(default=None, sa_type=Text)
    annulla: int | None = Field(default=None)
    lingua: str | None = Field(default=None, max_length=8)
    """The language of the texts a save changed ("it", "en"); None for a change of the item
    itself (added, moved, deleted) or of the whole page."""


class Evento(SQLModel, table=True):
    """Something done with an account, kept for the audit log (`serena audit`): a login, a
    failed or refused one, an account created, disabled, enabled, or its password changed.
    Content changes are in `Revisione`.

    Rows are only ever added, with two exceptions the database's triggers allow and nothing
    else (`auth/eventi.py`): a refusal row counts further refusals in `volte`, and login rows
    older than the retention are deleted.
    """

    id: int | None = Field(default=None, primary_key=True)
    quando: datetime = Field(index=True)
    nome_utente: str = Field(max_length=64, index=True)
    azione: str = Field(max_length=24)
    client: str | None = Field(default=None, max_length=64)
    account: bool = Field(default=True)  # False: a login attempt with a name that is no account
    volte: int = Field(default=1)  # a refusal row: how many refused attempts it counts
    autore: str | None = Field(default=None, max_length=64)
    """The responsabile who changed the account from the "Persone" panel (None: the terminal,
    or the person themselves)."""


MODELLI_ELENCO: dict[str, type[Tappa] | type[Valore]] = {TAPPA.nome: Tappa, VALORE.nome: Valore}
"""The table of each kind that forms a list (`Tipo.in_elenco`)."""

MODELLI: dict[str, type[Sezione] | type[Tappa] | type[Valore]] = {
    SEZIONE.nome: Sezione,
    **MODELLI_ELENCO,
}
"""The table of each editable kind."""


class Staff(SQLModel, table=True):
    """A staff account, with its role (`auth/ruoli.py`)."""

    id: int | None = Field(default=None, primary_key=True)
    nome_utente: str = Field(max_length=64, unique=True, index=True)
    hash_password: str = Field(max_length=255)
    attivo: bool = Field(default=True)
    ruolo: str = Field(default=REDATTORE, max_length=16)
    # Two-step login (`auth/due_passaggi.py`): the TOTP secret (base32) once confirmed, None
    # while off; the last time step a code was accepted for, so that no code counts twice.
    totp_segreto: str | None = Field(default=None, max_length=64)
    totp_ultimo_passo: int | None = Field(default=None)


class SessioneStaff(SQLModel, table=True):
    """A login session. The browser holds the secret; the table holds only its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    hash_token: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    creata: datetime
    ultimo_uso: datetime
    revocata: bool = Field(default=False)
    sandbox: str | None = Field(default=None, max_length=PAGINA_MAX)  # demo: its published page
    client: str | None = Field(default=None, max_length=64)  # demo: the address that opened it
    dispositivo: str | None = Field(default=None, max_length=64)  # "Chrome su Android"


class CodiceRecupero(SQLModel, table=True):
    """A one-time recovery code of two-step login: only its SHA-256; deleted once used."""

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    hash_codice: str = Field(max_length=64, index=True)


class Invito(SQLModel, table=True):
    """A one-time link that lets a person choose their password: an invitation to a new
    account, or a password reset (`auth/inviti.py`). The link holds a random code; the table
    holds only its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    hash_codice: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    tipo: str = Field(max_length=16)  # "invito" or "reimposta"
    creato: datetime
    scade: datetime
    usato: datetime | None = Field(default=None)  # used, or replaced by a newer link
    autore: str | None = Field(default=None, max_length=64)  # the responsabile who made it


class TentativoAccesso(SQLModel, table=True):
    """A failed login, kept to refuse further attempts for a while (`auth/limiti.py`)."""

    id: int | None = Field(default=None, primary_key=True)
    nome_utente: str = Field(max_length=64, index=True)
    client: str = Field(max_length=64, index=True)
    quando: datetime = Field(index=True)
    dispositivo: str | None = Field(default=None, max_length=32, index=True)
    """The nonce of the device token the attempt came with, if the token was honoured."""


class RichiestaPubblicazione(SQLModel, table=True):
    """A redattore's request that a responsabile publish the drafts (`pubblicazione/richieste.py`).

    It keeps the drafts as asked: the working copy's counter (`versione`) and the changes one
    line each (`elenco`, JSON), so that publishing it publishes exactly that, or says what
    changed since. At most one request of a space is open (`stato` "aperta") at a time: the
    partial unique index makes a second one fail, whoever asks at the same instant. A decision
    ("pubblicata" or "rimandata") is written once, with who, when and the note; `esito_visto`
    turns true once the redattore has been shown it.
    """

    __table_args__ = (
        Index(
            "ux_richiesta_aperta",
            "spazio",
            unique=True,
            sqlite_where=text("stato = 'aperta'"),
            postgresql_where=text("stato = 'aperta'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    spazio: str = Field(max_length=PAGINA_MAX)
    richiedente: str = Field(max_length=64, index=True)
    creata: datetime
    messaggio: str = Field(default="", max_length=MESSAGGIO_MAX, sa_type=Text)
    versione: int
    elenco: str = Field(sa_type=Text)
    stato: str = Field(default="aperta", max_length=16)
    decisore: str | None = Field(default=None, max_length=64)
    decisa: datetime | None = Field(default=None)
    nota: str = Field(default="", max_length=MESSAGGIO_MAX, sa_type=Text)
    esito_visto: bool = Field(default=False)


class Impostazione(SQLModel, table=True):
    """A setting the database itself needs: the retention of login events (read by the
    trigger that guards `evento`), the key that signs device tokens."""

    nome: str = Field(primary_key=True, max_length=64)
    valore: str = Field(max_length=255)


class Programmata(SQLModel, table=True):
    """A publish of the site's drafts scheduled for a moment (`pubblicazione/programmate.py`):
    the drafts as they are then are published, by whichever app process claims the row first.

    `stato` goes from "attesa" to "in_corso" (claimed by `presa_da` at `presa_il`; a claim
    older than the lease is taken again) and ends "fatta", "vuota" (nothing to publish),
    "fallita" (with the reason in `esito`) or "annullata" (by `annullata_da`).
    """

    __table_args__ = (Index("ix_programmata_stato_quando", "stato", "quando"),)

    id: int | None = Field(default=None, primary_key=True)
    quando: datetime  # when to publish, in UTC
    autore: str = Field(max_length=64)  # who scheduled it: the publish is signed with it
    creata: datetime
    stato: str = Field(default="attesa", max_length=16)
    presa_da: str | None = Field(default=None, max_length=64)  # the app process that claimed it
    presa_il: datetime | None = Field(default=None)
    finita: datetime | None = Field(default=None)  # when it ended (run, refused or cancelled)
    esito: str = Field(default="", max_length=255)  # what it did, in Italian words
    annullata_da: str | None = Field(default=None, max_length=64)
