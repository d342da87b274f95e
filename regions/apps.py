from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Regions and local authorities"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from . import plan_demo, plan_scale, plan_selectors, selectors
        from . import scale as regions_scale

        dashboard.register(selectors.dashboard_sections, order=10)
        dashboard.register(plan_selectors.dashboard_sections, order=20)
        navigation.register(plan_selectors.navigation_items, order=10)
        demo.register(plan_demo.build_plan, order=10)
        scale.register(regions_scale.seed_people, order=10)
        scale.register(plan_scale.seed_plans, order=15)
