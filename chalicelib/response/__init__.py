"""Who responds: escalation policies and the on-duty roster per production line."""
