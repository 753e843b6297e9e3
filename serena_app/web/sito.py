"""The site's public address, from configuration (`SERENA_SITE_URL`, Reflex's `deploy_url`)."""

from reflex.config import get_config


def url_sito() -> str:
    """The public base URL, without a trailing slash."""
    return (get_config().deploy_url or "http://localhost:3000").rstrip("/")


PERCORSO_ACCESSO = "/accesso/"
"""The staff login's final address: links and canonical tags use it (`/accesso` redirects)."""

PERCORSO_INVITO = "/accesso/invito/"
"""The invitation page; its link carries the code in the fragment (`auth/inviti.py`)."""
