from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peer_challenge"
    verbose_name = "Peer challenge"

    def ready(self):
        from sli_portal import dashboard, demo, navigation

        from . import selectors
        from .demo import build_demo

        dashboard.register(selectors.dashboard_sections, order=30)
        navigation.register(selectors.nav_items, order=30)
        demo.register(build_demo, order=30)
