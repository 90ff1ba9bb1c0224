"""Excel in and out: import proposals and directives, and the units' progress round trip."""
