"""The per-key counter in fixed windows (`serena_app/registro/limitatore.py`): limits, new windows,
bounded memory. Times are passed explicitly."""

from serena_app.registro.limitatore import Esito, Limitatore


def test_over_the_limit_the_first_refusal_is_told_apart():
    limiti = Limitatore(massimo=5, durata=60)
    esiti = [limiti.conta("a", ora=10.0 + n) for n in range(8)]
    assert esiti == [Esito.AMMESSO] * 5 + [Esito.PRIMO_SCARTATO, Esito.SCARTATO, Esito.SCARTATO]


def test_keys_have_separate_budgets():
    limiti = Limitatore(massimo=1, durata=60)
    assert limiti.conta("a", ora=0) is Esito.AMMESSO
    assert limiti.conta("b", ora=0) is Esito.AMMESSO
    assert limiti.conta("a", ora=1) is Esito.PRIMO_SCARTATO


def test_a_new_window_starts_after_the_old_one_ends():
    limiti = Limitatore(massimo=2, durata=60)
    for ora in (0, 1, 2):
        limiti.conta("a", ora=ora)
    assert limiti.conta("a", ora=59.9) is Esito.SCARTATO
    assert limiti.conta("a", ora=60) is Esito.AMMESSO
    assert limiti.conta("a", ora=61) is Esito.AMMESSO
    assert limiti.conta("a", ora=62) is Esito.PRIMO_SCARTATO


def test_ended_windows_are_forgotten():
    limiti = Limitatore(massimo=5, durata=60)
    for numero in range(1000):
        limiti.conta(f"connessione-{numero}", ora=0)
    limiti.conta("ultima", ora=60)
    assert len(limiti) == 1


def test_memory_is_bounded_and_the_oldest_keys_go_first():
    limiti = Limitatore(massimo=1, durata=60, chiavi=100)
    limiti.conta("prima", ora=0)
    limiti.conta("prima", ora=0)
    for numero in range(1000):
        limiti.conta(f"connessione-{numero}", ora=1)
        assert len(limiti) <= 100
    assert limiti.conta("connessione-999", ora=2) is Esito.PRIMO_SCARTATO
    assert limiti.conta("prima", ora=2) is Esito.AMMESSO  # forgotten: a fresh budget
