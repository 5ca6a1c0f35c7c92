"""The clinic vertical (MED-01…03): patients, doctors and their schedules, appointments without
double booking, referrals, medical documents behind their own permission."""
