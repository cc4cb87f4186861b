"""The Lambda functions Chalice packages, by CloudFormation logical id."""

# Chalice function name → CloudFormation logical id of the function and of its role.
FUNCTIONS = {
    "api_handler": ("APIHandler", "ApiHandlerRole"),
    "websocket_connect": ("WebsocketConnect", "WebsocketConnectRole"),
    "websocket_message": ("WebsocketMessage", "WebsocketMessageRole"),
    "websocket_disconnect": ("WebsocketDisconnect", "WebsocketDisconnectRole"),
    "message_fanout": ("MessageFanout", "MessageFanoutRole"),
    "search_index": ("SearchIndex", "SearchIndexRole"),
    "membership_fanout": ("MembershipFanout", "MembershipFanoutRole"),
    "escalate": ("Escalate", "EscalateRole"),
    "notification_fanout": ("NotificationFanout", "NotificationFanoutRole"),
    "room_events": ("RoomEvents", "RoomEventsRole"),
    "outbound_deliveries": ("OutboundDeliveries", "OutboundDeliveriesRole"),
    "fanout_chunks": ("FanoutChunks", "FanoutChunksRole"),
}
