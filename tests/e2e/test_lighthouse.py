"""A Lighthouse floor the test suite can hold on a noisy machine (the budget is in `make bench`)."""

import pytest

from tests.support.lighthouse import installa_lighthouse, lighthouse, riassumi

PAVIMENTO_PRESTAZIONI = 95
TENTATIVI = 3  # a shared 2-core machine can have one slow run; the best of three is judged


def _migliore(rapporto, altro):
    """The better of two runs: one with no layout shift first, then the higher score. A
    loaded machine has also shown a shift of the header's language link (CLS 0.002 in one CI
    run, 0 in the others on the same code): it is judged like a slow run."""
    if altro is None:
        return rapporto
    return min(rapporto, altro, key=lambda r: (r.cls > 0, -r.performance))


def _pavimento(url: str, preset: str, cartella) -> None:
    installa_lighthouse()
    migliore = None
    for tentativo in range(TENTATIVI):
        migliore = _migliore(
            riassumi(lighthouse(url, preset, cartella / f"{tentativo}.json")), migliore
        )
        if migliore.performance >= PAVIMENTO_PRESTAZIONI and migliore.cls == 0:
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
