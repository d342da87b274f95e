from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from django.urls import reverse

        from sli_portal import dashboard, demo, navigation, scale

        from .seed import demo as events_demo
        from .seed.scale import seed_events
        from .selectors.dashboard import dashboard_rows, dashboard_sections

        dashboard.register(dashboard_sections, order=30, rows=dashboard_rows)
        demo.register(events_demo.build, order=20)
        scale.register(seed_events, order=20)
        navigation.register(
            lambda user, scope: [("Events", reverse("events:event_list"))], order=20
        )

        # Regional updates (issue 16): the next summit featured, events held, public events.
        from regions import composing

        from .selectors import updates

        composing.register_section_provider(updates.update_sections, order=20)
        composing.register_featured_event_provider(updates.featured_event)
        composing.register_public_events_provider(
            updates.public_events, stamp=updates.public_events_stamp
        )
        # Issue 17: pools released and clashes marked, told through each person's inbox.
        from . import receivers

        receivers.connect()

        # Issue 17: what this app offers the header's search box.
        from . import search as app_search

        app_search.register()

        # Issue 17: this app's panel on the LA page (the hub).
        from regions import panels as hub_panels

        from .hub import places_panel, places_panel_rows

        hub_panels.register_la_panel(places_panel, order=50, rows=places_panel_rows)
