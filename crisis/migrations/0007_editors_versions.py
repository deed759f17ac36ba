from django.db import migrations, models

# Citations and actor links carry a version, like events and quotes, so that a stale
# inline row in the admin is merged rather than written back.
#
# SQLite would rebuild each table to add a NOT NULL column, and the search triggers on
# crisis_eventactor (migration 0004) break a rebuild, so SQLite gets a plain ADD COLUMN
# with a default; PostgreSQL adds the column the usual way.

TABLES = ["citation", "eventactor", "historicalcitation", "historicaleventactor"]

HELP = {
    "citation": "Raised by one on every save, so a stale inline row on an event, quote "
    "or source page is merged rather than written back.",
    "eventactor": "Raised by one on every save, so a stale inline row on an event's "
    "page is merged rather than written back.",
}


def version_field(model_name):
    help_text = HELP[model_name.removeprefix("historical")]
    return models.PositiveIntegerField(default=1, editable=False, help_text=help_text)


def named_version_field(model_name):
    # The state these operations see has no version field yet: build it here.
    field = version_field(model_name)
    field.set_attributes_from_name("version")
    return field


def add_columns(apps, schema_editor):
    for model_name in TABLES:
        model = apps.get_model("crisis", model_name)
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f'ALTER TABLE "{model._meta.db_table}" ADD COLUMN "version" '
                'integer unsigned NOT NULL DEFAULT 1 CHECK ("version" >= 0)'
            )
        else:
            schema_editor.add_field(model, named_version_field(model_name))


def drop_columns(apps, schema_editor):
    for model_name in TABLES:
        model = apps.get_model("crisis", model_name)
        if schema_editor.connection.vendor == "sqlite":
            table = model._meta.db_table
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN "version"')
        else:
            schema_editor.remove_field(model, named_version_field(model_name))


class Migration(migrations.Migration):
    dependencies = [("crisis", "0006_event_countries")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name=model_name,
                    name="version",
                    field=version_field(model_name),
                )
                for model_name in TABLES
            ],
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
        )
    ]
