from django.apps import AppConfig
from django.db.models.signals import post_migrate

from crisis.apps import sync_roles_after_migrate


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        # Analysts annotate: the roles get this app's permissions once they exist.
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="annotations_sync_roles"
        )
