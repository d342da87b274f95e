from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from django.urls import reverse

        from sli_portal import dashboard, demo, navigation, scale

        from .seed import demo as events_demo
        from .seed.scale import seed_events
        from .selectors.dashboard import dashboard_sections

        dashboard.register(dashboard_sections, order=30)
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
