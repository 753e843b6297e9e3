"""Run a coroutine from a synchronous test."""

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor


def esegui(coroutine, timeout: float = 30):
    """Run `coroutine` to its end in a thread of its own (Playwright's sync API may hold this
    thread's event loop) and return its result. It sees this thread's context variables, as
    a handler in the app sees the app's (Reflex's registry of states among them)."""
    contesto = contextvars.copy_context()
    with ThreadPoolExecutor(1) as esecutore:
        return esecutore.submit(contesto.run, asyncio.run, coroutine).result(timeout=timeout)
