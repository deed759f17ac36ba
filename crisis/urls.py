from django.contrib import admin
from django.urls import include, path

from crisis.views import health, pages, timeline

crisis_patterns = [
    path("", timeline.timeline, name="timeline"),
    path("events/<slug:slug>/", timeline.event_detail, name="event_detail"),
    path("actors/<slug:slug>/", pages.actor_detail, name="actor_detail"),
    path("quotes/<slug:slug>/", pages.quote_detail, name="quote_detail"),
    path("sources/<slug:slug>/", pages.source_detail, name="source_detail"),
]

urlpatterns = [
    path("", include((crisis_patterns, "crisis"))),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler500 = "crisis.views.errors.server_error"
