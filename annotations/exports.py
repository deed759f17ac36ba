"""Annotations out: CSV for spreadsheets, W3C Web Annotation JSON-LD for other tools.

The JSON-LD follows the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/);
the tests expand it against a copy of its context (``annotations/jsonld/anno.jsonld``).
"""

import csv
import io

from annotations.markup import render_body
from annotations.models import AnnotationTargetType, BodyFormat, Visibility
from annotations.selectors import resolve_span
from crisis.csv_safety import neutralise_cell

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# People and teams have no public page: they are named by URNs of this application.
URN_PREFIX = "urn:crisis-timeline"
CSV_COLUMNS = [
    "id",
    "created",
    "modified",
    "author",
    "visibility",
    "team",
    "target_type",
    "target",
    "target_url",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "body",
    "body_format",
    "tags",
    "confidence",
    "source_reliability",
    "information_credibility",
    "grade",
]


def _target_label(annotation):
    target = annotation.target
    return getattr(target, "title", None) or getattr(target, "text", "")


def annotations_csv(annotations, absolute_url):
    """CSV text, one row per annotation; ``absolute_url`` turns a path into a URL."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for annotation in annotations:
        writer.writerow(
            [
                annotation.pk,
                annotation.created_at.isoformat(),
                annotation.updated_at.isoformat(),
                neutralise_cell(annotation.author.username),
                annotation.visibility,
                neutralise_cell(annotation.team.name if annotation.team else ""),
                annotation.target_type,
                neutralise_cell(_target_label(annotation)),
                absolute_url(annotation.target.get_absolute_url()),
                neutralise_cell(annotation.exact),
                neutralise_cell(annotation.prefix),
                neutralise_cell(annotation.suffix),
                "" if annotation.start is None else annotation.start,
                "" if annotation.end is None else annotation.end,
                neutralise_cell(annotation.body),
                annotation.body_format,
                neutralise_cell("; ".join(tag.name for tag in annotation.tags.all())),
                annotation.confidence,
                annotation.source_reliability,
                annotation.information_credibility,
                annotation.grade,
            ]
        )
    return out.getvalue()


def _selectors(annotation):
    """The passage as W3C selectors, its offsets taken in the target's text as it is
    now: the TextPositionSelector is left out when the words are no longer there (the
    TextQuoteSelector still says what they were)."""
    if annotation.exact:
        selectors = [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            }
        ]
        span = resolve_span(annotation)
        if span is not None:
            start, end = span
            selectors.append(
                {"type": "TextPositionSelector", "start": start, "end": end}
            )
        return selectors
    if annotation.target_type == AnnotationTargetType.QUOTE:
        text = annotation.quote.text
        return [
            {"type": "TextQuoteSelector", "exact": text, "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": 0, "end": len(text)},
        ]
    return []


def _note_body(annotation):
    """The note: plain text as written, Markdown as the sanitised HTML the site shows."""
    if annotation.body_format == BodyFormat.MARKDOWN:
        value, media_type = str(render_body(annotation.body, "markdown")), "text/html"
    else:
        value, media_type = annotation.body, "text/plain"
    return {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": value,
        "format": media_type,
    }


def _assessment_body(annotation):
    assessment = [f"Confidence: {annotation.get_confidence_display().lower()}"]
    if annotation.grade:
        assessment.insert(0, f"Admiralty grade {annotation.grade}")
    if annotation.source_reliability:
        assessment.append(
            f"Source reliability: {annotation.get_source_reliability_display()}"
        )
    if annotation.information_credibility:
        assessment.append(
            "Information credibility: "
            f"{annotation.get_information_credibility_display()}"
        )
    return {
        "type": "TextualBody",
        "purpose": "assessing",
        "value": "; ".join(assessment),
        "format": "text/plain",
    }


def annotation_motivation(annotation):
    """Why the annotation was made: an Admiralty grade makes it an assessment, a note
    otherwise comments (tags are the purpose of their own bodies)."""
    return "assessing" if annotation.grade else "commenting"


def _creator(annotation):
    author = annotation.author
    creator = {
        "id": f"{URN_PREFIX}:user:{author.pk}",
        "type": "Person",
        "nickname": author.username,
    }
    if author.get_full_name():
        creator["name"] = author.get_full_name()
    return creator


def _audience(annotation):
    """Who may read it: the author's team, or the author alone."""
    if annotation.visibility == Visibility.TEAM and annotation.team_id:
        return {
            "id": f"{URN_PREFIX}:team:{annotation.team_id}",
            "type": "Audience",
            "name": f"Team: {annotation.team.name}",
        }
    return {
        "id": f"{URN_PREFIX}:user:{annotation.author_id}",
        "type": "Audience",
        "name": "Only the author",
    }


def annotation_jsonld(annotation, absolute_url):
    """One annotation in the W3C Web Annotation Data Model."""
    bodies = [_note_body(annotation)]
    bodies += [
        {"type": "TextualBody", "purpose": "tagging", "value": tag.name}
        for tag in annotation.tags.all()
    ]
    bodies.append(_assessment_body(annotation))
    target = {"source": absolute_url(annotation.target.get_absolute_url())}
    selectors = _selectors(annotation)
    if selectors:
        target["selector"] = selectors
    return {
        "@context": W3C_CONTEXT,
        "id": absolute_url(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": annotation_motivation(annotation),
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "creator": _creator(annotation),
        "audience": _audience(annotation),
        "body": bodies,
        "target": target,
    }


def annotation_collection(annotations, absolute_url, collection_url):
    """All annotations as one W3C AnnotationCollection with a single page."""
    items = [annotation_jsonld(annotation, absolute_url) for annotation in annotations]
    return {
        "@context": W3C_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": "Crisis Timeline annotations",
        "total": len(items),
        "first": {
            "id": f"{collection_url}#page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
