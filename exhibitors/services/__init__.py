"""Writes for exhibitors: one module per concept (accounts, companies, applications, booths, catalogue,
renditions)."""
