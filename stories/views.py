"""The public story pages: a list, and one step of a story at a time."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from crisis.cache import cached_response
from crisis.htmx import partial_for
from stories.models import Story
from stories.selectors import stories_for_list, story_steps


@cached_response
def story_list(request):
    return render(
        request,
        "stories/story_list.html",
        {"stories": stories_for_list(request.user)},
    )


def step_context(request, slug, number, url_name):
    """The story, its visible steps and step ``number`` (0 is the cover with the intro),
    with Previous/Next links to ``url_name``; 404 for a step that is not there."""
    story = get_object_or_404(Story.objects.visible_to(request.user), slug=slug)
    steps = story_steps(story, request.user)
    if not 0 <= number <= len(steps):
        raise Http404(f"This story has {len(steps)} steps.")

    def url(at):
        kwargs = {"slug": story.slug}
        if at == 0:
            return reverse(url_name, kwargs=kwargs)
        return reverse(f"{url_name}_step", kwargs={**kwargs, "number": at})

    return {
        "story": story,
        "steps": steps,
        "number": number,
        "step": steps[number - 1] if number else None,
        "total": len(steps),
        "previous_url": url(number - 1) if number > 0 else None,
        "next_url": url(number + 1) if number < len(steps) else None,
        "contents": [(step, url(at)) for at, step in enumerate(steps, start=1)],
    }


@vary_on_headers("HX-Request")
@cached_response
def story_detail(request, slug, number=0):
    context = step_context(request, slug, number, "stories:detail")
    context["embed_path"] = reverse(
        "sharing:embed_story_step" if number else "sharing:embed_story",
        kwargs={"slug": slug, "number": number} if number else {"slug": slug},
    )
    partial = partial_for(request, {}, default="#step")
    return render(request, f"stories/story_detail.html{partial}", context)
