"""Campaigns — marketing plans (MKT-01): a campaign's rules, its moves from draft to done, its
targets, its steps and the responses tracked per target."""
