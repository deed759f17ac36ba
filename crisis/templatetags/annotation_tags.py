from django import template

from crisis.anchoring import highlight

register = template.Library()


@register.simple_tag
def annotated_text(target):
    """The target's text, escaped, with each passage the viewer's annotations point at
    in a <mark>. The element's text content stays exactly the text, so offsets that
    annotate.js measures in the page are offsets into the stored text."""
    spans = [
        (annotation.span[0], annotation.span[1], annotation.pk)
        for annotation in getattr(target, "visible_annotations", ())
        if getattr(annotation, "span", None)
    ]
    return highlight(target.text, spans)
