"""The e-mail channel (MKT-03) and inbound mail over IMAP (MKT-07's e-mail half)."""
