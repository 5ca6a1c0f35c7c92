"""The insurance agency vertical (INS-01): policies, renewal alarms and SMS, birthdays and
marriage dates of the insured, renewals linked to the policy they renew."""
