"""The leaders' dashboard: what the period brought in, what is done, what is late."""
