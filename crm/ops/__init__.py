"""Operational commands: the development launcher, backups, moving to PostgreSQL."""
