"""Room messages: records with per-room sequence numbers; their stream drives the fan-out."""
