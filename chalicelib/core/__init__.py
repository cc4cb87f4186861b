"""Shared building blocks: settings, errors, time, HTTP helpers, database binding."""
