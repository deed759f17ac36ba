"""Actors (people, states, organisations, offices) and the tags of events."""

from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from crisis.models.base import ActorKind, page_url


class ActorQuerySet(models.QuerySet):
    def matching(self, term):
        """Actors whose name, title or any alias contains ``term`` (case-insensitive)."""
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(
            Q(name__icontains=term)
            | Q(aliases__icontains=term)
            | Q(title__icontains=term)
        )


class Actor(models.Model):
    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    title = models.CharField(
        "role or title",
        max_length=200,
        blank=True,
        help_text='What the actor is, e.g. "NATO Secretary General".',
    )
    country = CountryField(blank=True, help_text="ISO 3166 country, where one applies.")
    aliases = models.TextField(
        blank=True,
        help_text="Other names and spellings found in sources, one per line "
        '(e.g. "Olf Scholz", "Kiev"). Search finds the actor by any of them.',
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values),
                name="actor_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "country"]),
            # The order of the actor list and picker: a page reads 50 rows in order
            # instead of sorting every actor (and counting each one's events) first.
            models.Index(fields=["name", "id"], name="actor_name_order_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_url("crisis:actor_detail", self.slug)

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)
