"""Stories: an editor's ordered walk through events, each step with an optional note."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from crisis.models import Event, PublishableQuerySet, Status


class Story(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The story's address: /stories/<slug>/."
    )
    intro = models.TextField(
        help_text="A few sentences that say what the story follows and why."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published stories are public; their draft events stay hidden.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="story_status_valid"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


class StoryStepQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Steps whose event the reader may see: drafts only for staff."""
        return self.filter(event__in=Event.objects.visible_to(user))


class StoryStep(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(
        default=1, help_text="Steps are shown in this order, lowest first."
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="story_steps"
    )
    note = models.TextField(
        blank=True, help_text="Optional: the editor's note shown beside the event."
    )

    history = HistoricalRecords()
    objects = StoryStepQuerySet.as_manager()

    class Meta:
        ordering = ["story", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "event"], name="story_step_event_once"
            )
        ]

    def __str__(self):
        return f"{self.story}: step {self.position}, {self.event.title}"
