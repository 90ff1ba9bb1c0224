"""Lists that remember: a user's last filters per list, and named views in the navigation."""
