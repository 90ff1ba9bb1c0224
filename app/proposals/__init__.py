"""Proposals (kiến nghị): what communes ask of the province, followed until answered."""
