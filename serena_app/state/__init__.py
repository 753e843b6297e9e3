"""Reflex state classes, one module per concern."""
