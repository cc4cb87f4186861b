"""The plant hierarchy: site → area → line → station (plant-and-reports.md)."""
