from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, **kwargs):
    """``post_migrate`` receiver for every app whose permissions the roles hand out."""
    from crisis.roles import sync_roles

    sync_roles()


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = "Crisis Timeline"

    def ready(self):
        # Runs after django.contrib.auth has created this app's permissions.
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="crisis_sync_roles"
        )

        from crisis import signals

        signals.connect()
        signals.connect_reindex()
