"""The analyst workspace: every annotation the analyst can see, filtered and exported."""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from annotations.exports import annotation_collection, annotations_csv
from annotations.filters import AnnotationFilter
from annotations.models import is_analyst
from annotations.selectors import annotations_for_workspace
from annotations.services import teams_of
from annotations.tables import AnnotationTable
from annotations.views import annotation_endpoint, problem_response
from crisis.htmx import partial_for


@method_decorator(vary_on_headers("HX-Request"), name="dispatch")
class WorkspaceView(LoginRequiredMixin, SingleTableMixin, FilterView):
    table_class = AnnotationTable
    filterset_class = AnnotationFilter
    template_name = "annotations/workspace.html"
    table_pagination = {"per_page": 25}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_analyst(request.user):
            return problem_response(
                request, "The workspace is for analysts. Ask an editor for access.", 403
            )
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return annotations_for_workspace(self.request.user)

    def get_template_names(self):
        partial = partial_for(self.request, {}, default="#results")
        return [f"{self.template_name}{partial}"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["teams"] = teams_of(self.request.user)
        context["export_query"] = self.request.GET.urlencode()
        return context


def _filtered(request):
    filterset = AnnotationFilter(
        request.GET, queryset=annotations_for_workspace(request.user), request=request
    )
    if not filterset.is_valid():
        errors = "; ".join(
            f"{filterset.form.fields[name].label or name}: {' '.join(messages)}"
            for name, messages in filterset.errors.items()
        )
        return None, problem_response(request, f"Check the filters. {errors}", 400)
    return filterset.qs.order_by("-created_at", "-pk"), None


def _filename(extension):
    return f"annotations-{timezone.now():%Y%m%d-%H%M}.{extension}"


@require_GET
@annotation_endpoint
def export_csv(request):
    annotations, refusal = _filtered(request)
    if refusal:
        return refusal
    response = HttpResponse(
        annotations_csv(annotations, request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
@annotation_endpoint
def export_jsonld(request):
    annotations, refusal = _filtered(request)
    if refusal:
        return refusal
    collection = annotation_collection(
        annotations,
        request.build_absolute_uri,
        request.build_absolute_uri(reverse("annotations:annotations_export_jsonld")),
    )
    response = HttpResponse(
        json.dumps(collection, ensure_ascii=False, indent=2),
        content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("jsonld")}"'
    return response
