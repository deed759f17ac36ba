from django.contrib import admin
from django.urls import path

from extraction import views

app_name = "extraction"

urlpatterns = [
    path("import/", admin.site.admin_view(views.article_import), name="import"),
    path("source/<int:pk>/", admin.site.admin_view(views.review), name="review"),
    path(
        "source/<int:pk>/confirm/",
        admin.site.admin_view(views.confirm),
        name="confirm",
    ),
    path(
        "source/<int:pk>/<slug:key>/decide/",
        admin.site.admin_view(views.decide),
        name="decide",
    ),
    path(
        "source/<int:pk>/<slug:key>/edit/",
        admin.site.admin_view(views.edit),
        name="edit",
    ),
]
