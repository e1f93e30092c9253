"""Demo data for a fresh instance: `manage.py seed_demo` (cms/management/commands/seed_demo.py)."""
