"""A milestone and a value as the page renders them: plain data, no database (the sections
import it)."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class TappaVista:
    """A timeline milestone as rendered; `anno` is "" when it has no year, `numero` is 1-based."""

    id: int
    numero: int
    anno: str
    titolo: str
    testo: str
    bozza: str = ""  # on the working copy: "Bozza di anna · …" if it has a draft


@dataclasses.dataclass(frozen=True)
class ValoreVista:
    """A value as rendered; `numero` (1-based) gives its anchor, e.g. `#valori-3`."""

    id: int
    numero: int
    titolo: str
    testo: str
    bozza: str = ""  # on the working copy: "Bozza di anna · …" if it has a draft
