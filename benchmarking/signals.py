"""Named signals sent by benchmarking's services, for reactions that belong elsewhere.

Senders: the return services, after the change is saved (inside their transaction; receivers
that queue work do it on commit). Receivers are connected in the receiving module's
AppConfig.ready(), so a reader of the service sees every effect named here.

- `return_submitted(sender=Return, return_obj, actor)`: an LA submitted a quarterly return
  (it now waits for the programme manager or the region's analyst to approve it).
- `return_la_approved(sender=Return, return_obj, actor)`: the LA's DCS approved its submitted
  return (only where the region asks for the DCS's approval first; it now waits for the region).
- `return_approved(sender=Return, return_obj, actor)`: a quarterly return was approved.
- `return_reopened(sender=Return, return_obj, actor, reason)`: an approved, submitted or locked
  return went back to draft.
- `narrative_owed(sender=ExceptionNarrative, region, local_authority_id, la_name, la_slug,
  period, indicator, flag, scope, actor)`: a figure of the exception report is flagged (top or
  bottom 20%) and its LA has not explained it yet (``services.narratives``; sent again on every
  look, so receivers must be idempotent).
- `values_changed(sender=Return, return_obj, actor, indicator_ids)`: a return's values were
  written (upload, entry form, bulk file or published import).
"""

from django.dispatch import Signal

return_submitted = Signal()
return_la_approved = Signal()
return_approved = Signal()
return_reopened = Signal()
values_changed = Signal()
narrative_owed = Signal()
