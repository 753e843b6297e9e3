"""A data host: the PostgreSQL and the Redis every app process uses, with a password each.

`serena prod` on one machine runs them on 127.0.0.1 on free ports. `serena prod --role data`
runs them on the host's address (`SERENA_DATA_HOST`) on their usual ports, 5432 and 6379, for
the app hosts' networks only (`SERENA_DATA_CLIENTS`), and writes the two URLs the app hosts
need into `var/produzione.env`. Both are children that die with `serena prod`.
"""

from pathlib import Path

from serena_app.produzione import impostazioni
from serena_app.produzione.processi import Processo, verifica_porta
from serena_app.produzione.redis_proprio import Redis
from serena_app.produzione.servizi import Postgres, porta_libera

PORTA_POSTGRES = 5432
PORTA_REDIS = 6379


def avvia(
    var: Path,
    figli: list[Processo],
    *,
    ospite: bool,
    database: str | None = None,
    redis: str | None = None,
) -> tuple[str, str]:
    """Start PostgreSQL unless `database` names one, and Redis unless `redis` does, adding
    them to `figli`; the database's URL and Redis's. `ospite`: as a data host of several
    machines, else for this machine only."""
    if ospite:
        host, clienti = impostazioni.host_dati(), impostazioni.clienti_dati()
        porte = (PORTA_POSTGRES, PORTA_REDIS)
        for porta in porte:
            verifica_porta(porta, host)
    else:
        host, clienti, porte = "127.0.0.1", ("127.0.0.1/32", "::1/128"), (None, None)
    if database is None:
        postgres = Postgres(
            var / "postgresql", porte[0] or porta_libera(), host=host, clienti=clienti
        )
        processo, database = postgres.processo()
        figli.append(processo)
        print(f"serena prod: avviato PostgreSQL su {postgres.indirizzo}, dati in var/", flush=True)
    if redis is None:
        proprio = Redis(var / "redis", porte[1] or porta_libera(), host=host)
        redis = proprio.avvia()
        figli.extend([proprio.processo] if proprio.processo else [])
        print(f"serena prod: avviato Redis su {proprio.indirizzo}, dati in var/", flush=True)
    return database, redis
