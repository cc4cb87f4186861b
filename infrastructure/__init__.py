"""Development-only infrastructure code (never packaged into Lambda)."""
