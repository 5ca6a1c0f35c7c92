"""Tables of the insurance module: policy types and insurers (tables the agency edits),
policies, and the notices the daily scan has already given (exactly once per policy or person)."""

from modules.insurance.models.policy import Insurer, Notice, Policy, PolicyType

__all__ = ["Insurer", "Notice", "Policy", "PolicyType"]
