"""Every table of the site: the page's content, staff accounts, their sessions and failed logins."""

from datetime import datetime

from sqlmodel import Field, SQLModel

TITOLO_MAX = 120
TESTO_MAX = 2000
SEZIONE_MAX = 4000


class Sezione(SQLModel, table=True):
    """A block of running text on the page (e.g. the mission), paragraphs split by a blank line."""

    chiave: str = Field(primary_key=True, max_length=40)
    testo: str = Field(default="", max_length=SEZIONE_MAX)
    versione: int = Field(default=1)


class Tappa(SQLModel, table=True):
    """A milestone of the history timeline."""

    id: int | None = Field(default=None, primary_key=True)
    anno: int | None = Field(default=None)
    titolo: str = Field(max_length=TITOLO_MAX)
    testo: str = Field(max_length=TESTO_MAX)
    posizione: int = Field(index=True)
    versione: int = Field(default=1)


class Valore(SQLModel, table=True):
    """One of the cooperative's values: a short title and the full sentence."""

    id: int | None = Field(default=None, primary_key=True)
    titolo: str = Field(max_length=TITOLO_MAX)
    testo: str = Field(max_length=TESTO_MAX)
    posizione: int = Field(index=True)
    versione: int = Field(default=1)


class RevisionePagina(SQLModel, table=True):
    """One row whose number goes up with every change to the content, in the same transaction.

    A server compares it with the snapshot it holds to know when to read the page again.
    """

    id: int = Field(default=1, primary_key=True)
    numero: int = Field(default=1)


class Staff(SQLModel, table=True):
    """A staff account. Created only from the console (`serena create-staff`)."""

    id: int | None = Field(default=None, primary_key=True)
    nome_utente: str = Field(max_length=64, unique=True, index=True)
    hash_password: str = Field(max_length=255)
    attivo: bool = Field(default=True)


class SessioneStaff(SQLModel, table=True):
    """A login session. The browser holds the secret; the table holds only its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    hash_token: str = Field(max_length=64, unique=True, index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True, ondelete="CASCADE")
    creata: datetime
    ultimo_uso: datetime
    revocata: bool = Field(default=False)


class TentativoAccesso(SQLModel, table=True):
    """A failed login, kept to refuse further attempts for a while."""

    id: int | None = Field(default=None, primary_key=True)
    nome_utente: str = Field(max_length=64, index=True)
    client: str = Field(max_length=64, index=True)
    quando: datetime = Field(index=True)
