"""Reading the MDN HTTP Observatory's verdict (`tests/support/osservatorio.py`) without a
network: its printed JSON, trimmed from a real run (1.4.8) against a local Caddy whose CA the
scanner was not told about."""

import json

import pytest

from tests.support.osservatorio import leggi, valuta


def _prova(risultato: str, punti: int = 0, *, superata: bool = True) -> dict:
    return {"expectation": "…", "pass": superata, "result": risultato, "scoreModifier": punti}


CA_IGNOTA = {
    "scan": {"algorithmVersion": 4, "grade": "C+", "score": 60, "error": None},
    "tests": {
        "content-security-policy": _prova("csp-implemented-with-no-unsafe-default-src-none", 10),
        "redirection": _prova("redirection-invalid-cert", -20, superata=False),
        "referrer-policy": _prova("referrer-policy-private", 5),
        "strict-transport-security": _prova("hsts-invalid-cert", -20, superata=False),
        "x-content-type-options": _prova("x-content-type-options-nosniff"),
    },
}


def test_the_verdict_names_the_grade_the_score_and_what_failed():
    valutazione = leggi(json.dumps(CA_IGNOTA))

    assert (valutazione.voto, valutazione.punteggio) == ("C+", 60)
    assert valutazione.fallite == {
        "redirection": "redirection-invalid-cert",
        "strict-transport-security": "hsts-invalid-cert",
    }
    assert valutazione.prove["referrer-policy"].punti == 5


def test_a_scan_that_could_not_run_fails_with_the_scanners_words():
    with pytest.raises(RuntimeError, match="The site seems to be down"):
        leggi('{"error":"The site seems to be down."}')


def test_a_missing_ca_fails_before_scanning_instead_of_grading_an_unverified_certificate(
    tmp_path,
):
    with pytest.raises(FileNotFoundError, match=r"nessuna\.crt"):
        valuta("serena.prova", ca=tmp_path / "nessuna.crt")
