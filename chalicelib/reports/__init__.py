"""Reports: counts, MTTA/MTTR and downtime by line, station, event code, root cause, severity;
Pareto; the incidents CSV (plant-and-reports.md)."""
