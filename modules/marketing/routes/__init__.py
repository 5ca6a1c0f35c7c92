"""The marketing module's own pages; each area lists its routes from its own file."""
