"""Reflex configuration: app name, database and allowed origins from the environment."""

import os

import reflex as rx

from serena_app.db import database_url
from serena_app.web.build_plugin import InlineGlobalStyles
from serena_app.web.sitemap import SitemapBilingue

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    # Several app processes share the states in Redis. A process keeps the lock of a browser's
    # state for a second after each event (Reflex's "oplock"), so the next events of that
    # browser (a page view sends two or more) need no Redis round trip: about 20% less app CPU per
    # page view here. A lock lives at most 3 s: if its process dies (kill -9), its browsers
    # are served by another process within that.
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
    os.environ.setdefault("REFLEX_OPLOCK_HOLD_TIME", "1s")

config = rx.Config(
    app_name="serena_app",
    # Embedded SQLite by default; any SQLAlchemy URL through DATABASE_URL (or REFLEX_DB_URL).
    db_url=database_url(),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    # Origins allowed to open the event websocket. Never "*" in production.
    cors_allowed_origins=os.environ.get(
        "SERENA_ALLOWED_ORIGINS", "http://localhost:3000,http://127.0.0.1:3000"
    ).split(","),
    # The public address: canonical URLs, share tags, sitemap.xml and robots.txt use it.
    deploy_url=os.environ.get("SERENA_SITE_URL", "http://localhost:3000"),
    frontend_compression_formats=["brotli", "gzip"],
    # One process (`make run`): states in memory. Several (`make prod`): in Redis, shared.
    redis_url=REDIS_URL,
    redis_lock_expiration=3000,  # ms
    state_manager_mode=(
        rx.constants.StateManagerMode.REDIS if REDIS_URL else rx.constants.StateManagerMode.MEMORY
    ),
    # A visitor's server-side state is dropped 10 minutes after they leave (Reflex's default
    # is an hour), so memory follows the visitors present rather than the visits of the hour.
    redis_token_expiration=600,
    plugins=[InlineGlobalStyles(), SitemapBilingue()],
)
