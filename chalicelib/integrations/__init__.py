"""Machine-raised incidents (response-loop.md): integration keys for other systems (MES, PLCs,
monitoring), and ``POST /api/integrations/events`` that opens a room per equipment + event code
or appends to the one still open."""
