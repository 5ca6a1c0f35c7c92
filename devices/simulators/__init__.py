"""Simulators that speak a device's protocol on a pseudo-terminal, for tests and demonstrations."""
