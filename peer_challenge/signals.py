"""Named signals sent by peer challenge's services, for reactions that belong elsewhere
(notifications today). Senders: the services named, inside their transaction after the change
is saved. Receivers are connected in the receiving app's AppConfig.ready().

- `self_assessment_moderated(sender=SelfAssessment, self_assessment, assignment, actor)`: a
  moderator released their comments on an LA's self-assessment (the LA responds to them).
"""

from django.dispatch import Signal

self_assessment_moderated = Signal()
