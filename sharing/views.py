"""Embeds (the timeline and stories without site chrome), oEmbed and share images."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.vary import vary_on_headers

from crisis.cache import cached_response
from crisis.models import Event
from crisis.reading.views.timeline import timeline_context
from sharing.framing import embeddable
from sharing.selectors import (
    OEMBED_PAGES,
    event_share_png,
    oembed_target,
    story_for_oembed,
    story_share_png,
    timeline_share_png,
)
from stories.models import Story
from stories.selectors import story_steps
from stories.views import step_context

OEMBED_WIDTH, OEMBED_HEIGHT = 800, 600


@embeddable
@cached_response
def embed_timeline(request):
    context, status = timeline_context(request)
    return render(request, "sharing/embed_timeline.html", context, status=status)


@embeddable
@vary_on_headers("HX-Request")
@cached_response
def embed_story(request, slug, number=0):
    context = step_context(request, slug, number, "sharing:embed_story")
    return render(request, "sharing/embed_story.html", context)


def oembed(request):
    """The oEmbed answer (type ``rich``) for a timeline or story address of this site."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": "Only format=json is offered."}, status=501)
    if not request.GET.get("url"):
        return JsonResponse(
            {"error": "Give the page to embed as url=, e.g. url=https://…/stories/…/"},
            status=400,
        )
    target = oembed_target(request.GET["url"], request.get_host())
    if target is None:
        return JsonResponse(
            {"error": "url must be the address of a timeline or story page here."},
            status=404,
        )
    name, kwargs, query = target
    if name == "crisis:timeline":
        title = "Crisis Timeline"
    else:
        story = story_for_oembed(kwargs["slug"])
        if story is None:
            return JsonResponse({"error": "No such published story."}, status=404)
        title = story.title
    width = _bounded(request.GET, "maxwidth", OEMBED_WIDTH)
    height = _bounded(request.GET, "maxheight", OEMBED_HEIGHT)
    path = reverse(OEMBED_PAGES[name], kwargs=kwargs)
    src = request.build_absolute_uri(f"{path}?{query.urlencode()}" if query else path)
    iframe = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy"></iframe>'
    )
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "provider_name": "Crisis Timeline",
            "provider_url": request.build_absolute_uri("/"),
            "title": title,
            "html": iframe,
            "width": width,
            "height": height,
        }
    )


def _bounded(params, name, default):
    try:
        value = int(params.get(name, default))
    except ValueError:
        return default
    return max(200, min(value, default))


@cached_response
def timeline_image(request):
    return _png(request, timeline_share_png(request.GET, request.user))


@cached_response
def event_image(request, slug):
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    return _png(request, event_share_png(event))


@cached_response
def story_image(request, slug):
    story = get_object_or_404(Story.objects.visible_to(request.user), slug=slug)
    return _png(request, story_share_png(story, story_steps(story, request.user)))


def _png(request, data):
    response = HttpResponse(data, content_type="image/png")
    # Staff images may show drafts: only their own browser keeps them.
    scope = "private" if request.user.is_authenticated else "public"
    response["Cache-Control"] = f"{scope}, max-age=600"
    return response
