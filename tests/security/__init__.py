"""Attacks on the real app through its event websocket."""
