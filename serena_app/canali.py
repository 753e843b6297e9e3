"""A message on a Redis channel from code that runs outside the event loop (a `serena`
command, a logout): every app process hears it when the app runs several (`REDIS_URL`).
Without `REDIS_URL` there is one app process, and the listener's own periodic check finds
what changed; a Redis that does not answer is logged, never raised, and the same check
catches up."""

import logging
import os

import redis

logger = logging.getLogger(__name__)


def invia(canale: str, messaggio: str, *, cosa: str, attesa_s: float) -> None:
    """Publish `messaggio` on `canale`, waiting at most `attesa_s` for Redis; `cosa` names it
    in the log if Redis does not take it ("revoca")."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return
    try:
        with redis.Redis.from_url(
            url, socket_timeout=attesa_s, socket_connect_timeout=attesa_s
        ) as client:
            client.publish(canale, messaggio)
    except redis.RedisError as errore:
        logger.warning("notifica su Redis non riuscita (%s): %r", cosa, errore)
