"""Province-scale benchmark data (`flask bench-data`) and the opt-in per-request query counter."""
