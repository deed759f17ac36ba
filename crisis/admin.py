from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag


class EventActorInline(admin.TabularInline):
    model = EventActor
    extra = 1
    autocomplete_fields = ["actor"]


class EventCitationInline(admin.StackedInline):
    model = Citation
    fk_name = "event"
    fields = ["source", "excerpt"]
    extra = 1
    autocomplete_fields = ["source"]


class QuoteCitationInline(EventCitationInline):
    fk_name = "quote"


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "language"]
    list_filter = ["language", "published_on"]
    search_fields = ["title", "publisher", "text"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "title", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases", "title"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "start_date",
        "date_precision",
        "category",
        "importance",
        "status",
    ]
    list_filter = ["status", "category", "date_precision", "importance", "start_date"]
    search_fields = [
        "title",
        "summary",
        "event_actors__actor__name",
        "event_actors__actor__aliases",
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    date_hierarchy = "start_date"
    inlines = [EventActorInline, EventCitationInline]


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "speaker", "said_on", "status"]
    list_filter = ["status", "date_precision", "said_on"]
    list_select_related = ["speaker"]
    search_fields = ["text", "speaker__name", "speaker__aliases"]
    autocomplete_fields = ["speaker", "event", "source"]
    date_hierarchy = "said_on"
    inlines = [QuoteCitationInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "event", "quote"]
    list_select_related = ["source", "event", "quote__speaker"]
    search_fields = ["excerpt", "source__title"]
    autocomplete_fields = ["source", "event", "quote"]
