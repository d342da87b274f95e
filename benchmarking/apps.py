from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from . import demo as benchmarking_demo
        from . import (
            rules,  # noqa: F401  (registers permissions)
            selectors,
        )
        from . import scale as benchmarking_scale

        dashboard.register(selectors.dashboard_sections, order=30)
        navigation.register(nav_items, order=30)
        demo.register(benchmarking_demo.build, order=20)
        scale.register(benchmarking_scale.seed_benchmarking, order=25)

        # Reports (issue 7): permissions, the approval hook (a post_save receiver) and the
        # build tasks, which Celery's autodiscovery (tasks.py only) would not find.
        from . import report_rules, report_services, report_tasks  # noqa: F401
        from .report_views import register_reports

        register_reports()

        # Issue 3/7: a priority of a regional plan shows the trend of its linked indicators.
        from regions import panels

        from . import priority_demo
        from .priority_views import priority_panel

        panels.register_priority_panel(priority_panel)
        demo.register(priority_demo.build, order=25)


def nav_items(user, scope):
    from django.urls import reverse

    return [("Data returns", reverse("benchmarking:index"))]
