from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy

from crisis.reading.views import exports, lists, pages, timeline
from crisis.views import accounts, health

crisis_patterns = [
    path("", timeline.timeline, name="timeline"),
    path("actors/suggest/", timeline.actor_suggestions, name="actor_suggestions"),
    path(
        "countries/suggest/", timeline.country_suggestions, name="country_suggestions"
    ),
    path("table/", lists.EventTablePage.as_view(), name="event_table"),
    path("export/events.csv", exports.events_csv, name="export_csv"),
    path("export/events.json", exports.events_json, name="export_json"),
    path("export/timelinejs.json", exports.timelinejs_json, name="export_timelinejs"),
    path("export/events.ics", exports.events_ics, name="export_ics"),
    path("events/<slug:slug>/", timeline.event_detail, name="event_detail"),
    path("actors/", lists.ActorTablePage.as_view(), name="actor_list"),
    path("actors/<slug:slug>/", pages.actor_detail, name="actor_detail"),
    path("quotes/", lists.QuoteTablePage.as_view(), name="quote_list"),
    path(
        "quotes/speakers/suggest/",
        timeline.speaker_suggestions,
        name="speaker_suggestions",
    ),
    path("quotes/<slug:slug>/", pages.quote_detail, name="quote_detail"),
    path("sources/", lists.SourceListPage.as_view(), name="source_list"),
    path("sources/<slug:slug>/", pages.source_detail, name="source_detail"),
    path("citations/<int:pk>/", pages.citation_passage, name="citation_passage"),
]

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        accounts.ThrottledPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", include((crisis_patterns, "crisis"))),
    path("accounts/", include(account_patterns)),
    path("stories/", include("stories.urls")),
    path("", include("annotations.urls")),
    path("", include("sharing.urls")),
    path("", include("maps.urls")),
    path("healthz", health.healthz, name="healthz"),
    # The admin's own password change, throttled like the one above.
    path(
        "admin/password_change/",
        admin.site.admin_view(
            accounts.ThrottledPasswordChangeView.as_view(
                success_url=reverse_lazy("admin:password_change_done")
            )
        ),
    ),
    path("admin/extraction/", include("extraction.urls")),
    path("admin/", admin.site.urls),
    # Pages without an icon link (the admin's) make browsers ask for this one.
    path(
        "favicon.ico",
        lambda request: redirect(static("crisis/favicon.svg"), permanent=True),
        name="favicon",
    ),
]

handler500 = "crisis.views.errors.server_error"
