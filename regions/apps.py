from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = "Regions and local authorities"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sli_portal import dashboard, demo, navigation, scale

        from . import composing, scope
        from .models import LocalAuthority, Membership
        from .seed import demo as regions_demo
        from .seed import scale as regions_scale
        from .seed import scale_updates
        from .seed import updates as updates_demo
        from .selectors import people, plans, update_sections, updates

        dashboard.register(people.dashboard_sections, order=10, rows=people.dashboard_rows)
        dashboard.register(plans.dashboard_sections, order=20, rows=plans.dashboard_rows)
        navigation.register(plans.navigation_items, order=10)
        demo.register(regions_demo.build_plan, order=10)
        scale.register(regions_scale.seed_people, order=10)
        scale.register(regions_scale.seed_plans, order=15)
        # Regional updates: "Updates" in the navigation; regions' own sections of a drafted
        # update (the other apps register theirs in their ready()); three published demo updates
        # composed after every other app has built its demo data.
        navigation.register(updates.navigation_items, order=40)
        composing.register_section_provider(update_sections.plan_progress_sections, order=10)
        composing.register_section_provider(update_sections.funding_sections, order=60)
        composing.register_section_provider(update_sections.group_account_sections, order=70)
        demo.register(updates_demo.build, order=90)
        scale.register(scale_updates.seed_updates, order=40)
        # A membership written anywhere replaces its user's scope token (regions.scope).
        post_save.connect(scope.membership_saved_or_deleted, sender=Membership)
        post_delete.connect(scope.membership_saved_or_deleted, sender=Membership)
        post_save.connect(scope.local_authority_saved, sender=LocalAuthority)

        # Issue 17: who must act, told through each person's inbox.
        from . import receivers

        receivers.connect()

        # Issue 17: what this app offers the header's search box.
        from . import search as app_search

        app_search.register()

        # Issue 17: this app's panel on the LA page (the hub).
        from regions import panels as hub_panels

        from .hub import plan_panel, plan_panel_rows

        hub_panels.register_la_panel(plan_panel, order=20, rows=plan_panel_rows)

        # Every table's data version trigger (sli_portal.data_versions), after each migrate: once,
        # when this app's post_migrate is sent (every app's tables exist by then).
        from django.db.models.signals import post_migrate

        from sli_portal import data_versions

        post_migrate.connect(
            data_versions.install_after_migrate, sender=self, dispatch_uid="data_versions"
        )
