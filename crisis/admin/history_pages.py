"""History in the admin: who changed what, a readable diff, revert, and restoring deletions."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from crisis.history import changes_between, deleted_records, latest_record
from crisis.services import RestoreError, record_restore


class FullHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin plus a diff on the revert page and a deleted-records page."""

    change_list_template = "admin/crisis/change_list.html"
    object_history_list_template = "admin/crisis/object_history_list.html"
    object_history_form_template = "admin/crisis/object_history_form.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{name}_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name=f"{name}_restore",
            ),
            *super().get_urls(),
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # A deleted record: it comes back through the deleted-records page instead.
            raise PermissionDenied
        # simple-history lets anyone who may view history post a revert; only editors may.
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            self.model.history.model, id=obj.pk, history_id=version_id
        )
        current = latest_record(obj)
        context = {
            "revert_changes": changes_between(current, version) if current else [],
            "version_record": version,
            **(extra_context or {}),
        }
        request.crisis_reverting = True
        return super().history_form_view(request, object_id, version_id, context)

    def save_model(self, request, obj, form, change):
        if getattr(request, "crisis_reverting", False):
            obj._change_reason = "Reverted to an earlier version"
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        merged = [
            f"{subform._where()}: {', '.join(subform.merged_theirs)}"
            for subform in [form, *(f for formset in formsets for f in formset.forms)]
            if getattr(subform, "merged_theirs", None)
        ]
        if merged:
            self.message_user(
                request,
                "Someone else saved while you were editing; their changes are kept "
                "beside yours: " + "; ".join(merged) + ".",
                messages.INFO,
            )

    def render_change_form(self, request, context, *args, **kwargs):
        forms = [context["adminform"].form] if "adminform" in context else []
        for inline in context.get("inline_admin_formsets", []):
            forms += inline.formset.forms
        context["merge_conflicts"] = [
            conflict for form in forms for conflict in getattr(form, "conflicts", [])
        ]
        return super().render_change_form(request, context, *args, **kwargs)

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        context = {
            "deleted_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def deleted_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "records": deleted_records(self.model),
            "can_restore": self.has_add_permission(request),
            "restore_url_name": f"admin:{opts.app_label}_{opts.model_name}_restore",
        }
        return TemplateResponse(request, "admin/crisis/deleted_records.html", context)

    def restore_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        try:
            report = record_restore(
                model=self.model, history_id=history_id, user=request.user
            )
        except RestoreError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_deleted")
        self.log_addition(request, report.instance, "Restored from history")
        self.message_user(
            request,
            f"Restored “{report.instance}”: " + "; ".join(report.restored) + ".",
            messages.SUCCESS,
        )
        if report.skipped:
            self.message_user(
                request,
                "Could not restore: " + "; ".join(report.skipped) + ".",
                messages.WARNING,
            )
        return redirect(
            f"admin:{opts.app_label}_{opts.model_name}_change", report.instance.pk
        )
