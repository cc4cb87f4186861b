"""The event catalog: event codes with their defaults and root causes (plant-and-reports.md)."""
