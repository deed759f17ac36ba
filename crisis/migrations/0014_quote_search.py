"""Full-text search for quotes, defined in Python as the events' is (crisis.search).

Adds ``Quote.search_vector`` and its GIN index (PostgreSQL) or the FTS5 table
``crisis_quote_fts`` (SQLite) for the document of ``crisis.search.QUOTES``, then indexes
every quote in batches.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

GIN_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_vector"], name="quote_search_vector_gin"
)
FTS_TABLE = (
    "CREATE VIRTUAL TABLE crisis_quote_fts USING fts5("
    "text, speaker, tokenize = 'unicode61 remove_diacritics 2')"
)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("crisis", "Quote"), GIN_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute(FTS_TABLE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("crisis", "Quote"), GIN_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS crisis_quote_fts")


def index_every_quote(apps, schema_editor):
    from crisis.search import index_quotes

    quotes = apps.get_model("crisis", "Quote").objects.using(
        schema_editor.connection.alias
    )
    index_quotes(quotes.all(), quotes.values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0013_quote_said_on_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="quote",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="PostgreSQL only: the indexed search document, written by "
                "crisis.search.index_quotes (SQLite keeps an FTS5 table instead).",
                null=True,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="quote", index=GIN_INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
        migrations.RunPython(index_every_quote, migrations.RunPython.noop),
    ]
