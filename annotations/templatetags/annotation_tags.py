from django import template

from annotations.anchoring import highlight

register = template.Library()


@register.simple_tag
def annotated_text(target):
    """The target's text, escaped, with each passage the viewer's annotations point at
    in a <mark>. The element's text content stays exactly the text, so offsets that
    annotate.js measures in the page are offsets into the stored text."""
    return highlight(target.text, _annotation_spans(target))


@register.simple_tag
def annotated_piece(target, piece):
    """One run of the target's text (a ``selectors.SourcePiece``) with the annotation
    marks that fall inside it, so cited passages and annotations can overlap."""
    spans = [
        (
            max(start, piece.start) - piece.start,
            min(end, piece.end) - piece.start,
            ident,
        )
        for start, end, ident in _annotation_spans(target)
        if start < piece.end and end > piece.start
    ]
    return highlight(piece.text, spans)


def _annotation_spans(target):
    return [
        (annotation.span[0], annotation.span[1], annotation.pk)
        for annotation in getattr(target, "visible_annotations", ())
        if getattr(annotation, "span", None)
    ]
