from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peer_challenge"
    verbose_name = "Peer challenge"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from .seed.demo import build_demo
        from .seed.scale import seed_peer_challenge
        from .selectors.dashboard import dashboard_rows, dashboard_sections, nav_items

        dashboard.register(dashboard_sections, order=30, rows=dashboard_rows)
        navigation.register(nav_items, order=30)
        demo.register(build_demo, order=30)
        scale.register(seed_peer_challenge, order=30)

        # Regional updates (issue 16): cycle status and take-up in a drafted update.
        from regions import composing

        from .selectors.updates import update_sections

        composing.register_section_provider(update_sections, order=30)
        # Issue 17: moderation comments ready, told through each person's inbox.
        from . import receivers

        receivers.connect()

        # Issue 17: what this app offers the header's search box.
        from . import search as app_search

        app_search.register()

        # Issue 17: this app's panel on the LA page (the hub).
        from regions import panels as hub_panels

        from .hub import peer_panel, peer_panel_rows

        hub_panels.register_la_panel(peer_panel, order=40, rows=peer_panel_rows)
