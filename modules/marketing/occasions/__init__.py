"""Occasion messages (MKT-06): rules, the daily job with its pending batches and their
approval, the yearly occasions calendar, and "birthday SMS today". See docs/marketing.md,
"Occasions"."""
