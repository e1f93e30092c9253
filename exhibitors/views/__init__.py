"""Front-end views for exhibitors and buyers: one module per concept."""
