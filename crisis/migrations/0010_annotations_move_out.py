"""The annotation models now belong to the annotations app (annotations.0001_initial).

The crisis app forgets them without touching their tables, which keep their names.
Their content types move with them, so the permissions analysts hold
("add_annotation" …), the admin's log entries and any per-user grant stay attached.
"""

from django.db import migrations

MOVED = ("annotation", "annotationtag", "historicalannotation", "historicalannotation_tags")


def move_content_types(apps, schema_editor, old="crisis", new="annotations"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        # On a fresh database there is nothing yet: post_migrate creates them later.
        if ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=old, model=model).update(
            app_label=new
        )


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="annotations", new="crisis")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('crisis', '0009_search_in_python'),
        ('annotations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The history of the tag links first: it refers to the three others.
            state_operations=[
                migrations.DeleteModel(
                    name='HistoricalAnnotation_tags',
                ),
                migrations.DeleteModel(
                    name='HistoricalAnnotation',
                ),
                migrations.DeleteModel(
                    name='Annotation',
                ),
                migrations.DeleteModel(
                    name='AnnotationTag',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
