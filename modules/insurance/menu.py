"""The insurance menu and the role templates of an agency: the agent (own policies) and the
agency manager (the team's, the tables and the settings)."""

from __future__ import annotations

from kernel import MenuItem, RoleTemplate

REPORTS = ("insurance.expiring.report", "insurance.renewal_rate.report")


def menu_items() -> list[MenuItem]:
    return [
        MenuItem("insurance.menu", "Insurance agency", "", permission="insurance.policy.view", sequence=27, icon="file"),
        MenuItem("insurance.policies", "Insurance policies", "/insurance/policy/", "insurance.policy.view",
                 parent="insurance.menu", sequence=10),
        MenuItem("insurance.new", "New insurance policy", "/insurance/policy/new", "insurance.policy.create",
                 parent="insurance.menu", sequence=15),
        MenuItem("insurance.expiring", "Expiring policies by month", "/reports/insurance.expiring",
                 "insurance.expiring.report", parent="insurance.menu", sequence=20),
        MenuItem("insurance.renewal_rate", "Renewal rate per agent", "/reports/insurance.renewal_rate",
                 "insurance.renewal_rate.report", parent="insurance.menu", sequence=25),
        MenuItem("insurance.types", "Policy types", "/insurance/policy_type/", "insurance.policy_type.edit",
                 parent="insurance.menu", sequence=30),
        MenuItem("insurance.insurers", "Insurers", "/insurance/insurer/", "insurance.insurer.edit",
                 parent="insurance.menu", sequence=40),
        MenuItem("insurance.settings", "Insurance settings", "/insurance/settings", "insurance.settings",
                 parent="insurance.menu", sequence=50),
    ]


def role_templates() -> list[RoleTemplate]:
    agent = ("insurance.policy.view", "insurance.policy.create", "insurance.policy.edit", "insurance.policy.export",
             "insurance.policy.print", "insurance.policy_type.view", "insurance.insurer.view",
             "base.partner.view", "base.partner.create", "base.partner.edit", "base.communication.*",
             "finance.invoice.view", "finance.invoice.create", "finance.invoice.edit", "finance.invoice.plan",
               "finance.price.override",
             "finance.receipt.create",
             *REPORTS)
    return [
        RoleTemplate("insurance.agent", "Insurance agent", agent, record_scope="own"),
        RoleTemplate("insurance.manager", "Insurance agency manager",
                     (*agent, "insurance.policy.*", "insurance.policy_type.*", "insurance.insurer.*",
                      "insurance.settings", "finance.invoice.*"),
                     record_scope="team"),
    ]
