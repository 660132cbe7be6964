"""Shared building blocks: time, permissions, audit, mail, pagination, security headers."""
