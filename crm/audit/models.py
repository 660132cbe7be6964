"""The audit model lives in crm.core.audit (core writes the rows); the name stays importable from here."""

from crm.core.audit import AuditEntry as AuditEntry
