"""Lambda code of the incident response system, one package per domain."""
