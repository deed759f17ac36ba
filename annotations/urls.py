from django.urls import path

from annotations import views, workspace

app_name = "annotations"

urlpatterns = [
    path("annotations/", views.annotation_block, name="annotation_block"),
    path("annotations/new/", views.annotation_create_view, name="annotation_create"),
    path(
        "annotations/<int:pk>/edit/",
        views.annotation_update_view,
        name="annotation_update",
    ),
    path(
        "annotations/<int:pk>/delete/",
        views.annotation_delete_view,
        name="annotation_delete",
    ),
    path("workspace/", workspace.WorkspaceView.as_view(), name="workspace"),
    path(
        "workspace/annotations.csv",
        workspace.export_csv,
        name="annotations_export_csv",
    ),
    path(
        "workspace/annotations.jsonld",
        workspace.export_jsonld,
        name="annotations_export_jsonld",
    ),
]
