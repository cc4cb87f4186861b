"""Deliveries beyond the app (e-mail, Web Push, webhooks): a queue, a log, exactly-once attempts."""

from chalicelib.outbound.service import GiveUp, Retry, Sender, deliveries, enqueue, handle_batch

__all__ = ["GiveUp", "Retry", "Sender", "deliveries", "enqueue", "handle_batch"]
