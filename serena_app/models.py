"""Every table of the site: the page's content, and (later) staff accounts and sessions."""

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
