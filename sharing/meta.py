"""The title, description, canonical address and image a shared link previews."""

from django.urls import reverse

SITE_NAME = "Crisis Timeline"
SITE_DESCRIPTION = (
    "Events, actors and quotes of the January 2022 Russia–Ukraine crisis, "
    "each cited to its source."
)


def page_meta(context, request):
    """What the current page tells link previews, from the objects its view rendered."""
    match = request.resolver_match
    name = match.view_name if match else ""
    meta = {
        "site_name": SITE_NAME,
        "title": SITE_NAME,
        "description": SITE_DESCRIPTION,
        "url": request.build_absolute_uri(request.path),
        "image": reverse("sharing:timeline_image"),
        "oembed": False,
    }
    story, event = context.get("story"), context.get("event")
    if name.startswith("stories:detail") and story is not None:
        meta.update(
            title=story.title,
            description=story.intro,
            image=reverse("sharing:story_image", kwargs={"slug": story.slug}),
            oembed=story.is_published,
        )
    elif name == "crisis:event_detail" and event is not None:
        meta.update(
            title=event.title,
            description=event.summary,
            image=reverse("sharing:event_image", kwargs={"slug": event.slug}),
        )
    elif name == "crisis:timeline":
        chips = context.get("chips") or []
        query = context.get("query") or ""
        meta.update(
            title="Timeline"
            + "".join(f" · {chip.label}: {chip.value}" for chip in chips),
            url=meta["url"] + (f"?{query}" if query else ""),
            image=meta["image"] + (f"?{query}" if query else ""),
            oembed=True,
        )
    else:
        page_object = next(
            (context[key] for key in ("actor", "quote", "source") if key in context),
            None,
        )
        if page_object is not None and hasattr(page_object, "get_absolute_url"):
            meta["title"] = str(page_object)
    meta["description"] = _shorten(meta["description"])
    meta["image"] = request.build_absolute_uri(meta["image"])
    return meta


def _shorten(text, limit=200):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
