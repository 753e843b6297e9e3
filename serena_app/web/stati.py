"""The tabs' states in Redis (several app processes, `make prod`): a Redis that restarts is
waited for, not an error.

Reflex's Redis client tries a command once more at once when Redis does not answer, so an
event that arrived while Redis restarted (it reads its append-only file again: about a second)
failed, and the person saw "errore imprevisto" for a save that would have worked a moment
later. Here a command is tried again after 0.1, 0.2, 0.4 and 0.8 s, then each second: about
7.5 s in all before the event fails as before.
"""

import copy

import reflex as rx
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from reflex.istate.manager.redis import StateManagerRedis

ATTESA_REDIS = Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=10)


def attendono_redis(app: rx.App) -> None:
    """Make `app`'s tab states, if they are in Redis, wait for it as `ATTESA_REDIS` says."""
    gestore = app.state_manager
    if isinstance(gestore, StateManagerRedis):
        gestore.redis.set_retry(copy.deepcopy(ATTESA_REDIS))
