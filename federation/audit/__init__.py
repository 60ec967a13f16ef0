"""The audit: who wrote what and when, the security events, and a person's data.

For administrators only (superusers): it shows every account's logins, addresses and
writes, which staff have no need to read (README « Sécurité »).
"""
