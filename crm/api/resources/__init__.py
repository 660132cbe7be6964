"""API resources, one module per topic; each reads through its domain's queries and writes through its operations."""
