"""The page's seed content (a TOML file in this folder) and the loader that seeds the database."""

from serena_app.content.loader import CONTENUTO, carica_seed, semina

__all__ = ["CONTENUTO", "carica_seed", "semina"]
