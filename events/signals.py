"""Named signals sent by events' services, for reactions that belong elsewhere (notifications
today). Senders: the services named, inside their transaction after the change is saved.
Receivers are connected in the receiving app's AppConfig.ready().

- `place_released(sender=Event, event, actor, places)`: the LAs' unused places at an event went
  into the regional pool (`places` of them), so LAs may ask for more.
- `clash_marked(sender=ExternalDate, external_date, actor, events)`: a date to avoid was marked
  on a day when these events (not cancelled) are already booked.
"""

from django.dispatch import Signal

place_released = Signal()
clash_marked = Signal()
