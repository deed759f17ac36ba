from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from crisis.roles import sync_roles

    sync_roles()


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = "Crisis Timeline"

    def ready(self):
        # Runs after django.contrib.auth has created this app's permissions.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="crisis_sync_roles")

        from crisis import signals

        signals.connect()
        signals.connect_reindex()
