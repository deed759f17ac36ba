from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = "Crisis Timeline"

    def ready(self):
        from crisis import signals

        signals.connect()
