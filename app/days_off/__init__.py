"""Admin screen for the extra days off that working-day deadlines skip."""
