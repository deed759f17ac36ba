"""Filters of the analyst workspace; reusable outside a view:
``AnnotationFilter(params, queryset, request=request).qs``."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from annotations.models import (
    Annotation,
    AnnotationTag,
    AnnotationTargetType,
    Confidence,
    InformationCredibility,
    SourceReliability,
    Visibility,
)


def _visible(request):
    user = getattr(request, "user", None)
    return Annotation.objects.visible_to(user)


def tags_in_use(request):
    return AnnotationTag.objects.filter(annotations__in=_visible(request)).distinct()


def authors_in_view(request):
    return (
        get_user_model()
        .objects.filter(annotations__in=_visible(request))
        .distinct()
        .order_by("username")
    )


class AnnotationFilter(django_filters.FilterSet):
    text = django_filters.CharFilter(
        label="Words", method="filter_text", max_length=200
    )
    tag = django_filters.ModelChoiceFilter(
        label="Tag", field_name="tags", queryset=tags_in_use, empty_label="Any tag"
    )
    source_reliability = django_filters.ChoiceFilter(
        label="Source reliability",
        choices=SourceReliability.choices,
        empty_label="Any",
    )
    information_credibility = django_filters.ChoiceFilter(
        label="Information credibility",
        choices=InformationCredibility.choices,
        empty_label="Any",
    )
    confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices, empty_label="Any"
    )
    target_type = django_filters.ChoiceFilter(
        label="On",
        choices=AnnotationTargetType.choices,
        method="filter_target_type",
        empty_label="Anything",
    )
    author = django_filters.ModelChoiceFilter(
        queryset=authors_in_view, empty_label="Anyone"
    )
    visibility = django_filters.ChoiceFilter(
        label="Shared", choices=Visibility.choices, empty_label="Private or team"
    )
    # Two filters rather than one range widget: each date box gets its own label.
    created_after = django_filters.DateFilter(
        label="Written from",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_before = django_filters.DateFilter(
        label="Written until",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Annotation
        fields = []

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(body__icontains=word) | Q(exact__icontains=word)
            )
        return queryset

    def filter_target_type(self, queryset, name, value):
        return queryset.of_type(value)
