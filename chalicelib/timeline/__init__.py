"""The messages table: per-room sequence numbers, system events, the wire form of a message."""
