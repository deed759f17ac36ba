import datetime

from django.db import migrations, models


def count_months(apps, schema_editor):
    from crisis.services import recount_event_months

    recount_event_months(
        events=apps.get_model("crisis", "Event"),
        counts=apps.get_model("crisis", "EventMonth"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("crisis", "0016_actor_name_order_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventmonth",
            name="last_end",
            # Every row is counted again just below, with its real value.
            field=models.DateField(
                default=datetime.date(1, 1, 1),
                help_text="The latest end date of the month's events (an event without "
                "one ends on the day it starts): how far they reach.",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(count_months, migrations.RunPython.noop),
    ]
