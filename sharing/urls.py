from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("embed/", views.embed_timeline, name="embed_timeline"),
    path("embed/stories/<slug:slug>/", views.embed_story, name="embed_story"),
    path(
        "embed/stories/<slug:slug>/<int:number>/",
        views.embed_story,
        name="embed_story_step",
    ),
    path("oembed", views.oembed, name="oembed"),
    path("share/timeline.png", views.timeline_image, name="timeline_image"),
    path("share/events/<slug:slug>.png", views.event_image, name="event_image"),
    path("share/stories/<slug:slug>.png", views.story_image, name="story_image"),
]
