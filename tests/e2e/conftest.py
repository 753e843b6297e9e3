"""The real app, built and served once per test session, and Chromium pages to drive it.

A test fails if the page logged a console error (and, as every test, if the app logged an
error: `tests/conftest.py`).
"""

import os
import subprocess
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session

from serena_app.contenuto.pagina import PUBBLICATA, versione_pagina
from serena_app.db import crea_engine
from tests.factories import ripristina_contenuto
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.support.produzione import Produzione
from tests.support.server import BIN, ROOT, Server, ambiente_app

STAFF_PASSWORD = "password-dello-staff-lunga"
ATTESA_BUILD_S = 60.0  # a bound for waiting on a build after a publish (they take ~4 s)
PUBBLICAZIONE_IN_HTML_S = 10.0  # the target from "Pubblica" to the served HTML


# A test that runs on both servers and at both sizes runs twice, not four times: each server
# at one size, each size on one server (which pairs, by the test's name). Across the suite
# every pair is run. SERENA_TUTTE_LE_COPPIE=1 runs all four.
COPPIE = (
    {("run", "telefono"), ("prod", "desktop")},
    {("run", "desktop"), ("prod", "telefono")},
)
_COPPIA = ("server", "viewport")


def _coppia(item) -> tuple:
    return tuple(item.callspec.params[k] for k in _COPPIA)


def pytest_collection_modifyitems(config, items):
    gruppi: dict[tuple, list] = defaultdict(list)
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
        parametri = getattr(item, "callspec", None)
        parametri = parametri.params if parametri else {}
        if "server" in parametri and "viewport" in parametri:
            altri = sorted((k, repr(v)) for k, v in parametri.items() if k not in _COPPIA)
            gruppi[(item.path, item.originalname, tuple(altri))].append(item)
    if os.environ.get("SERENA_TUTTE_LE_COPPIE") == "1":
        return
    tolti = []
    for (_, nome, _), gruppo in gruppi.items():
        if len({_coppia(i) for i in gruppo}) < 4:  # one server or one size only: each runs
            continue
        tenute = COPPIE[zlib.crc32(nome.encode()) % 2]
        tolti += [i for i in gruppo if _coppia(i) not in tenute]
    if tolti:
        config.hook.pytest_deselected(items=tolti)
        via = set(map(id, tolti))
        items[:] = [i for i in items if id(i) not in via]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium where present (Playwright cannot download its own here)."""
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    if CHROMIUM.exists():
        args["executable_path"] = str(CHROMIUM)
    return args


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> dict:
    """Each test runs at phone (390x844) and desktop (1280x800) size."""
    return VIEWPORTS[request.param]


@pytest.fixture
def pagina(browser: Browser, server: Server, viewport: dict) -> Iterator[Page]:
    """A fresh browser page at `viewport`; fails the test on any console error."""
    context = browser.new_context(viewport=viewport, base_url=server.url, locale="it-IT")
    page = context.new_page()
    errori: list[str] = []
    page.on("console", lambda m: errori.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errori.append(str(e)))
    yield page
    context.close()
    assert errori == []


def crea_account(db_url: str, nome: str) -> None:
    """A staff account with `STAFF_PASSWORD`, created with the `serena` console command."""
    subprocess.run(
        [str(BIN / "serena"), "create-staff", nome, "--password-stdin"],
        input=STAFF_PASSWORD + "\n",
        text=True,
        check=True,
        cwd=ROOT,
        env=ambiente_app(0, db_url),
        capture_output=True,
    )


@pytest.fixture(scope="session")
def staff(server: Server) -> dict[str, str]:
    """Two staff accounts."""
    for nome in ("anna", "bruno"):
        crea_account(server.db_url, nome)
    return {"anna": STAFF_PASSWORD, "bruno": STAFF_PASSWORD}


@pytest.fixture
def db(server: Server, contenuto) -> Iterator[Session]:
    """The test server's database; the seed content is put back after each test."""
    engine = crea_engine(server.db_url)
    with Session(engine) as session:
        yield session
        ripristina_contenuto(session, contenuto)
    engine.dispose()


def attendi_build(server: Server, db: Session) -> None:
    """Until the server has built the last published content (no build left running)."""
    db.expire_all()
    riga = (
        f"pagina servita aggiornata al contenuto {versione_pagina(session=db, pagina=PUBBLICATA)}"
    )
    fine = time.monotonic() + ATTESA_BUILD_S
    while riga not in server.log_text():
        assert time.monotonic() < fine, f"no build of the last publish: {server.log_text()[-3000:]}"
        time.sleep(0.2)


def html_pubblicato(server: Server, testo: str) -> str:
    """The page `GET /` returns once it carries `testo`, just published: the older page is
    served, at once, until the new build is complete; within `PUBBLICAZIONE_IN_HTML_S`."""
    fine = time.monotonic() + PUBBLICAZIONE_IN_HTML_S
    while testo not in (html := httpx.get(f"{server.url}/").text):
        assert time.monotonic() < fine, "the server still serves the older page"
        time.sleep(0.05)
    return html


def serena_publish(server: Server, cartella) -> subprocess.CompletedProcess:
    """`serena publish` as someone at the server's terminal runs it: in `make prod`'s project
    folder (its settings file names the database and Redis), or with `DATABASE_URL`."""
    ambiente = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    if isinstance(server, Produzione):
        cartella = server.radice
    else:
        ambiente["DATABASE_URL"] = server.db_url
    return subprocess.run(
        [str(BIN / "serena"), "publish"],
        cwd=cartella,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
