from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from . import (
            rules,  # noqa: F401  (registers permissions)
            selectors,
        )
        from .seed import demo as benchmarking_demo
        from .seed import scale as benchmarking_scale

        dashboard.register(selectors.dashboard_sections, order=30, rows=selectors.dashboard_rows)
        navigation.register(nav_items, order=30)
        demo.register(benchmarking_demo.build, order=20)
        scale.register(benchmarking_scale.seed_benchmarking, order=25)

        # Reports (issue 7): after an approval, rebuild the region's reports (after commit).
        from . import signals
        from .services.reports import region_reports_rebuild_on_approval
        from .views.reports import register_reports

        signals.return_approved.connect(region_reports_rebuild_on_approval)
        register_reports()

        # Issue 3/7: a priority of a regional plan shows the trend of its linked indicators.
        from regions import panels

        from .seed import priority_links as priority_links_seed
        from .views.priority_links import priority_panel

        panels.register_priority_panel(priority_panel)

        # Issue 17: returns to approve or to correct, told through each person's inbox.
        from . import receivers

        receivers.connect()

        # Issue 17: what this app offers the header's search box.
        from . import search as app_search

        app_search.register()

        # Issue 17: this app's panel on the LA page (the hub).
        from regions import panels as hub_panels

        from .hub import returns_panel, returns_panel_rows

        hub_panels.register_la_panel(returns_panel, order=30, rows=returns_panel_rows)
        demo.register(priority_links_seed.build, order=25)

        # Regional updates (issue 16): the quarter's rug and exception report in a drafted update.
        from regions import composing

        from .selectors.updates import update_sections

        composing.register_section_provider(update_sections, order=40)


def nav_items(user, scope):
    from django.urls import reverse

    return [("Data returns", reverse("benchmarking:index"))]
