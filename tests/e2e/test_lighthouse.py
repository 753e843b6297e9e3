"""A Lighthouse floor the test suite can hold on a noisy machine (the budget is in `make bench`)."""

import pytest

from tests.support.lighthouse import installa_lighthouse, lighthouse, riassumi

PAVIMENTO_PRESTAZIONI = 95
TENTATIVI = 3  # a shared 2-core machine can have one slow run; the best of three is judged


def _pavimento(url: str, preset: str, cartella) -> None:
    installa_lighthouse()
    migliore = None
    for tentativo in range(TENTATIVI):
        rapporto = riassumi(lighthouse(url, preset, cartella / f"{tentativo}.json"))
        if migliore is None or rapporto.performance > migliore.performance:
            migliore = rapporto
        if migliore.performance >= PAVIMENTO_PRESTAZIONI:
            break
    assert (migliore.accessibility, migliore.best_practices, migliore.seo) == (100, 100, 100)
    assert migliore.performance >= PAVIMENTO_PRESTAZIONI, migliore
    assert migliore.cls == 0


@pytest.mark.parametrize("preset", ["mobile"])
def test_lighthouse_floor(server, tmp_path, preset):
    _pavimento(server.url + "/", preset, tmp_path)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_lighthouse_floor_of_the_english_page(server, tmp_path):
    """`/en/` holds the same floor (the same build, served the same way in both topologies)."""
    _pavimento(server.url + "/en/", "mobile", tmp_path)
