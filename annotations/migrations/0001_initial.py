"""The annotation models, moved here from the crisis app with their tables.

Only Django's state changes: the tables stay as ``crisis_annotation`` and the rest
(each model's ``db_table``), created by ``crisis.0003_annotations``. The crisis app
forgets the models in ``crisis.0010_annotations_move_out``, which runs after this.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("crisis", "0003_annotations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnnotationTag",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=60, unique=True)),
                    ],
                    options={
                        "db_table": "crisis_annotationtag",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Annotation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "exact",
                            models.TextField(
                                blank=True,
                                help_text="The annotated passage, exactly as the text prints it.",
                            ),
                        ),
                        ("prefix", models.CharField(blank=True, max_length=64)),
                        ("suffix", models.CharField(blank=True, max_length=64)),
                        ("start", models.PositiveIntegerField(blank=True, null=True)),
                        ("end", models.PositiveIntegerField(blank=True, null=True)),
                        ("body", models.TextField(max_length=10000)),
                        (
                            "body_format",
                            models.CharField(
                                choices=[
                                    ("plain", "Plain text"),
                                    ("markdown", "Markdown"),
                                ],
                                default="plain",
                                max_length=10,
                            ),
                        ),
                        (
                            "confidence",
                            models.CharField(
                                choices=[
                                    ("low", "Low"),
                                    ("medium", "Medium"),
                                    ("high", "High"),
                                ],
                                default="medium",
                                max_length=6,
                            ),
                        ),
                        (
                            "source_reliability",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("A", "A – Completely reliable"),
                                    ("B", "B – Usually reliable"),
                                    ("C", "C – Fairly reliable"),
                                    ("D", "D – Not usually reliable"),
                                    ("E", "E – Unreliable"),
                                    ("F", "F – Reliability cannot be judged"),
                                ],
                                max_length=1,
                            ),
                        ),
                        (
                            "information_credibility",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("1", "1 – Confirmed by other sources"),
                                    ("2", "2 – Probably true"),
                                    ("3", "3 – Possibly true"),
                                    ("4", "4 – Doubtful"),
                                    ("5", "5 – Improbable"),
                                    ("6", "6 – Truth cannot be judged"),
                                ],
                                max_length=1,
                            ),
                        ),
                        (
                            "visibility",
                            models.CharField(
                                choices=[
                                    ("private", "Private (only me)"),
                                    ("team", "Team"),
                                ],
                                default="private",
                                max_length=8,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="annotations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="annotations",
                                to="crisis.event",
                            ),
                        ),
                        (
                            "quote",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="annotations",
                                to="crisis.quote",
                            ),
                        ),
                        (
                            "source",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="annotations",
                                to="crisis.source",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                blank=True,
                                help_text="The group it is shared with, when visibility is “team”.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="annotations",
                                to="auth.group",
                            ),
                        ),
                        (
                            "tags",
                            models.ManyToManyField(
                                blank=True,
                                related_name="annotations",
                                to="annotations.annotationtag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "crisis_annotation",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalAnnotation",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True,
                                blank=True,
                                db_index=True,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "exact",
                            models.TextField(
                                blank=True,
                                help_text="The annotated passage, exactly as the text prints it.",
                            ),
                        ),
                        ("prefix", models.CharField(blank=True, max_length=64)),
                        ("suffix", models.CharField(blank=True, max_length=64)),
                        ("start", models.PositiveIntegerField(blank=True, null=True)),
                        ("end", models.PositiveIntegerField(blank=True, null=True)),
                        ("body", models.TextField(max_length=10000)),
                        (
                            "body_format",
                            models.CharField(
                                choices=[
                                    ("plain", "Plain text"),
                                    ("markdown", "Markdown"),
                                ],
                                default="plain",
                                max_length=10,
                            ),
                        ),
                        (
                            "confidence",
                            models.CharField(
                                choices=[
                                    ("low", "Low"),
                                    ("medium", "Medium"),
                                    ("high", "High"),
                                ],
                                default="medium",
                                max_length=6,
                            ),
                        ),
                        (
                            "source_reliability",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("A", "A – Completely reliable"),
                                    ("B", "B – Usually reliable"),
                                    ("C", "C – Fairly reliable"),
                                    ("D", "D – Not usually reliable"),
                                    ("E", "E – Unreliable"),
                                    ("F", "F – Reliability cannot be judged"),
                                ],
                                max_length=1,
                            ),
                        ),
                        (
                            "information_credibility",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("1", "1 – Confirmed by other sources"),
                                    ("2", "2 – Probably true"),
                                    ("3", "3 – Possibly true"),
                                    ("4", "4 – Doubtful"),
                                    ("5", "5 – Improbable"),
                                    ("6", "6 – Truth cannot be judged"),
                                ],
                                max_length=1,
                            ),
                        ),
                        (
                            "visibility",
                            models.CharField(
                                choices=[
                                    ("private", "Private (only me)"),
                                    ("team", "Team"),
                                ],
                                default="private",
                                max_length=8,
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(blank=True, editable=False),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(blank=True, editable=False),
                        ),
                        (
                            "history_id",
                            models.AutoField(primary_key=True, serialize=False),
                        ),
                        ("history_date", models.DateTimeField(db_index=True)),
                        (
                            "history_change_reason",
                            models.CharField(max_length=100, null=True),
                        ),
                        (
                            "history_type",
                            models.CharField(
                                choices=[
                                    ("+", "Created"),
                                    ("~", "Changed"),
                                    ("-", "Deleted"),
                                ],
                                max_length=1,
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="crisis.event",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "quote",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="crisis.quote",
                            ),
                        ),
                        (
                            "source",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="crisis.source",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The group it is shared with, when visibility is “team”.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="auth.group",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical annotation",
                        "verbose_name_plural": "historical annotations",
                        "db_table": "crisis_historicalannotation",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalAnnotation_tags",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True,
                                blank=True,
                                db_index=True,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "m2m_history_id",
                            models.AutoField(primary_key=True, serialize=False),
                        ),
                        (
                            "annotation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_tablespace="",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="annotations.annotation",
                            ),
                        ),
                        (
                            "annotationtag",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_tablespace="",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="annotations.annotationtag",
                            ),
                        ),
                        (
                            "history",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                to="annotations.historicalannotation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "HistoricalAnnotation_tags",
                        "db_table": "crisis_historicalannotation_tags",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddIndex(
                    model_name="annotation",
                    index=models.Index(
                        fields=["author", "created_at"],
                        name="crisis_anno_author__331b09_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="annotation",
                    index=models.Index(
                        fields=["visibility", "team"],
                        name="crisis_anno_visibil_fd9180_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annotation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("event__isnull", False),
                                ("quote__isnull", True),
                                ("source__isnull", True),
                            ),
                            models.Q(
                                ("event__isnull", True),
                                ("quote__isnull", False),
                                ("source__isnull", True),
                            ),
                            models.Q(
                                ("event__isnull", True),
                                ("quote__isnull", True),
                                ("source__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="annotation_has_one_target",
                        violation_error_message="An annotation has exactly one target.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annotation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("source__isnull", True),
                            models.Q(("exact", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="annotation_source_needs_passage",
                        violation_error_message="A source is annotated by passage.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annotation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("event__isnull", True), ("exact", ""), _connector="OR"
                        ),
                        name="annotation_event_has_no_passage",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annotation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("visibility__in", ["private", "team"])),
                        name="annotation_visibility_valid",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="annotation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("confidence__in", ["low", "medium", "high"])
                        ),
                        name="annotation_confidence_valid",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
