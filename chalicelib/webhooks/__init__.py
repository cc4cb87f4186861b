"""Signed webhooks: administrators register receivers; room events are POSTed to them, signed,
from the outbound queue (``chalicelib.outbound``), behind an SSRF guard."""
