"""Run a coroutine from a synchronous test."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def esegui(coroutine, timeout: float = 30):
    """Run `coroutine` to its end in a thread of its own (Playwright's sync API may hold this
    thread's event loop) and return its result."""
    with ThreadPoolExecutor(1) as esecutore:
        return esecutore.submit(asyncio.run, coroutine).result(timeout=timeout)
