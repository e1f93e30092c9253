"""PostgreSQL indexes for the exhibitor directory's search (measured by `python -m bench --only search`).

- A GIN index on the search index's `title || body`, the vector Wagtail's database backend matches every
  search against (modelsearch's model mentions this index, but no migration creates it). Without it each
  search reads the whole wagtailsearch_indexentry table.
- A pattern index on products' HS codes, for the HS prefix filter and the goods-word bridge (`LIKE '0901%'`
  uses a plain b-tree only under the C collation).

SQLite needs neither: its search index is an FTS5 table, and an HS prefix scan of the products is fast enough.
"""

from django.db import migrations

INDEXES = {
    "feria_indexentry_title_body_gin": "wagtailsearch_indexentry USING gin ((title || body))",
    "feria_product_hs_code_prefix": "exhibitors_product (hs_code varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitors", "0014_company_closed"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
