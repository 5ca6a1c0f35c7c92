"""Import of partners from CSV and xlsx (INT-04): reading, column mapping, the batch job, export."""

import modules.base.models.imports  # noqa: F401  (registers base_import tables for autogenerate)
