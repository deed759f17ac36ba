"""Search index and event countries written by Python, no longer by triggers.

Drops the triggers and functions of 0004_search and 0006_event_countries in both
dialects, creates the GIN index (PostgreSQL) or a new FTS5 table (SQLite) for the
document of ``crisis.search.search_document``, then indexes every event and rebuilds
the country rows in batches. Reversing restores the triggers.
"""

import importlib

import django.contrib.postgres.indexes
import django.db.models.deletion
import django.contrib.postgres.search
from django.db import migrations, models

OLD_SEARCH = importlib.import_module("crisis.migrations.0004_search")
OLD_COUNTRIES = importlib.import_module("crisis.migrations.0006_event_countries")

GIN_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_vector"], name="event_search_vector_gin"
)
FTS_TABLE = (
    "CREATE VIRTUAL TABLE crisis_event_fts USING fts5("
    "title, summary, actors, quotes, tokenize = 'unicode61 remove_diacritics 2')"
)


def drop_triggers(apps, schema_editor):
    OLD_COUNTRIES.remove_triggers(apps, schema_editor)
    OLD_SEARCH.remove_search(apps, schema_editor)  # with its GIN index or FTS5 table


def restore_triggers(apps, schema_editor):
    apps.get_model("crisis", "EventCountry").objects.all().delete()
    OLD_SEARCH.install_search(apps, schema_editor)
    OLD_COUNTRIES.install_triggers(apps, schema_editor)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("crisis", "Event"), GIN_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute(FTS_TABLE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("crisis", "Event"), GIN_INDEX)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS crisis_event_fts")


def reindex_everything(apps, schema_editor):
    from crisis.search import index_events
    from crisis.services import sync_event_countries

    events = apps.get_model("crisis", "Event").objects.using(
        schema_editor.connection.alias
    )
    ids = list(events.values_list("pk", flat=True))
    index_events(events.all(), ids)
    sync_event_countries(events.all(), ids)


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0008_source_author"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.AlterField(
            model_name="event",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="PostgreSQL only: the indexed search document, written by "
                "crisis.search.index_events (SQLite keeps an FTS5 table instead).",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="eventcountry",
            name="event",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="country_rows",
                to="crisis.event",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="event", index=GIN_INDEX)],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
        migrations.RunPython(reindex_everything, migrations.RunPython.noop),
    ]
