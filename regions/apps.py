from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Regions and local authorities"

    def ready(self):
        from sli_portal import dashboard, scale

        from . import scale as regions_scale
        from . import selectors

        dashboard.register(selectors.dashboard_sections, order=10)
        scale.register(regions_scale.seed_people, order=10)
