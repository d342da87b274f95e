from django.apps import AppConfig


class PeerChallengeConfig(AppConfig):
    name = "peer_challenge"
    verbose_name = "Peer challenge"
