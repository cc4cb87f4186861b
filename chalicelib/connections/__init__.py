"""Live WebSocket connections: who is connected, subscribed to which room, and posting frames to them."""
