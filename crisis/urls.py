from django.contrib import admin
from django.urls import include, path

from crisis.views import exports, lists, pages, timeline

crisis_patterns = [
    path("", timeline.timeline, name="timeline"),
    path("table/", lists.EventTablePage.as_view(), name="event_table"),
    path("export/events.csv", exports.events_csv, name="export_csv"),
    path("export/events.json", exports.events_json, name="export_json"),
    path("export/timelinejs.json", exports.timelinejs_json, name="export_timelinejs"),
    path("export/events.ics", exports.events_ics, name="export_ics"),
    path("events/<slug:slug>/", timeline.event_detail, name="event_detail"),
    path("actors/", lists.ActorTablePage.as_view(), name="actor_list"),
    path("actors/<slug:slug>/", pages.actor_detail, name="actor_detail"),
    path("quotes/", lists.QuoteTablePage.as_view(), name="quote_list"),
    path("quotes/<slug:slug>/", pages.quote_detail, name="quote_detail"),
    path("sources/", lists.SourceListPage.as_view(), name="source_list"),
    path("sources/<slug:slug>/", pages.source_detail, name="source_detail"),
]

urlpatterns = [
    path("", include((crisis_patterns, "crisis"))),
    path("admin/", admin.site.urls),
]
