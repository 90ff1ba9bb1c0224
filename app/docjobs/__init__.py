"""Documents built in the background: a job row, a bounded pool of clean processes, a cache."""
