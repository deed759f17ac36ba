from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from stories.models import Story, StoryStep


class StoryStepInline(admin.TabularInline):
    model = StoryStep
    fields = ["position", "event", "note"]
    autocomplete_fields = ["event"]
    ordering = ["position", "pk"]
    extra = 1


@admin.register(Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "step_count", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "intro"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StoryStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(step_total=Count("steps"))

    @admin.display(description="Steps", ordering="step_total")
    def step_count(self, story):
        return story.step_total
