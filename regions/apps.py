from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Regions and local authorities"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from .seed import demo as regions_demo
        from .seed import scale as regions_scale
        from .selectors import people, plans

        dashboard.register(people.dashboard_sections, order=10)
        dashboard.register(plans.dashboard_sections, order=20)
        navigation.register(plans.navigation_items, order=10)
        demo.register(regions_demo.build_plan, order=10)
        scale.register(regions_scale.seed_people, order=10)
        scale.register(regions_scale.seed_plans, order=15)

        # Issue 17: who must act, told through each person's inbox.
        from . import receivers

        receivers.connect()

        # Issue 17: what this app offers the header's search box.
        from . import search as app_search

        app_search.register()

        # Issue 17: this app's panel on the LA page (the hub).
        from regions import panels as hub_panels

        from .hub import plan_panel

        hub_panels.register_la_panel(plan_panel, order=20)
