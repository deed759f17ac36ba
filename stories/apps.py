from django.apps import AppConfig
from django.db.models.signals import post_migrate

from crisis.apps import sync_roles_after_migrate


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories"

    def ready(self):
        # Editors tell stories: the roles get this app's permissions once they exist.
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="stories_sync_roles"
        )
        # Stories are facts readers see: a change retires the cached public pages.
        from crisis.signals import connect

        connect(models=(self.get_model("Story"), self.get_model("StoryStep")))
