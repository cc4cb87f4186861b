"""The notification inbox: mention, escalation, added_to_room, room_acknowledged and room_resolved
notifications per user, pushed live to their open connections."""
