from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peer_challenge"
    verbose_name = "Peer challenge"

    def ready(self):
        from sli_portal import dashboard, demo, navigation, scale

        from . import selectors
        from .demo import build_demo
        from .scale import seed_peer_challenge

        dashboard.register(selectors.dashboard_sections, order=30)
        navigation.register(selectors.nav_items, order=30)
        demo.register(build_demo, order=30)
        scale.register(seed_peer_challenge, order=30)
