from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        # Reports (issue 7): permissions, the approval hook (a post_save receiver) and the
        # build tasks, which Celery's autodiscovery (tasks.py only) would not find.
        from . import report_rules, report_services, report_tasks  # noqa: F401
        from .report_views import register_reports

        register_reports()
