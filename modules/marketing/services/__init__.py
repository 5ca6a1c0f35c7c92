"""Marketing's services for other modules (docs/plugins.md, "Public API")."""
