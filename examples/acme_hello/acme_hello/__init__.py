"""Acme Hello: an example partner module for Peyvand. Importing it has no side effects."""
