"""Business logic of the finance module, callable without HTTP (one concept per file)."""
