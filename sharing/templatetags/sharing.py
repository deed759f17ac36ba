from urllib.parse import urlencode

from django import template
from django.core.exceptions import DisallowedHost
from django.urls import reverse
from django.utils.html import escape

from sharing.meta import page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def embed_code(context, path, title="Crisis Timeline"):
    """The ``<iframe>`` markup that embeds ``path`` of this site (escaped on output)."""
    src = context["request"].build_absolute_uri(path)
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
        f'height="600" loading="lazy"></iframe>'
    )


@register.inclusion_tag("sharing/_share_meta.html", takes_context=True)
def share_meta(context):
    """OpenGraph and Twitter Card tags (and oEmbed discovery) for the current page."""
    request = context.get("request")
    if request is None:
        return {}
    try:
        meta = page_meta(context, request)
    except DisallowedHost:  # the 400 page for a forged Host: no absolute addresses
        return {}
    if meta["oembed"]:
        query = urlencode({"url": meta["url"], "format": "json"})
        meta["oembed_url"] = request.build_absolute_uri(
            f"{reverse('sharing:oembed')}?{query}"
        )
    return {"meta": meta}
