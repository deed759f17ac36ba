"""Annotations out: CSV for spreadsheets, W3C Web Annotation JSON-LD for other tools."""

import csv
import io

from crisis.csv_safety import neutralise_cell
from crisis.models import AnnotationTargetType

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
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
    if annotation.exact:
        return [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {
                "type": "TextPositionSelector",
                "start": annotation.start,
                "end": annotation.end,
            },
        ]
    if annotation.target_type == AnnotationTargetType.QUOTE:
        text = annotation.quote.text
        return [
            {"type": "TextQuoteSelector", "exact": text, "prefix": "", "suffix": ""},
            {"type": "TextPositionSelector", "start": 0, "end": len(text)},
        ]
    return []


def annotation_jsonld(annotation, absolute_url):
    """One annotation in the W3C Web Annotation Data Model."""
    bodies = [
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": annotation.body,
            "format": "text/markdown"
            if annotation.body_format == "markdown"
            else "text/plain",
        }
    ]
    bodies += [
        {"type": "TextualBody", "purpose": "tagging", "value": tag.name}
        for tag in annotation.tags.all()
    ]
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
    bodies.append(
        {"type": "TextualBody", "purpose": "assessing", "value": "; ".join(assessment)}
    )
    target = {"source": absolute_url(annotation.target.get_absolute_url())}
    selectors = _selectors(annotation)
    if selectors:
        target["selector"] = selectors
    return {
        "@context": W3C_CONTEXT,
        "id": absolute_url(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": "assessing",
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "creator": {
            "type": "Person",
            "nickname": annotation.author.username,
            **(
                {"name": annotation.author.get_full_name()}
                if annotation.author.get_full_name()
                else {}
            ),
        },
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
