"""Named signals sent by regions' services, for reactions that belong elsewhere (notifications
today; any app may connect). Senders: the services named, inside their transaction after the
change is saved; the scheduled ones from `services.notices.due_notices_announce` (daily, beat).
Receivers are connected in the receiving app's AppConfig.ready().

- `vote_opened(sender=Vote, vote, actor)`: a vote on candidate priorities opened.
- `vote_closing(sender=Vote, vote, actor, la_ids)`: an open vote closes within two days; the
  LAs named have cast no ballot yet.
- `action_assigned(sender=Action, action, actor)`: an action got a (new) owner.
- `action_overdue(sender=Action, action, actor)`: an open action is past its due date.
- `progress_due(sender=Priority, priority, actor, period)`: an active priority of a current
  plan has had no progress update this quarter (`period`, e.g. "2026-Q4").
- `group_account_due(sender=RegionalGroup, group, actor, year)`: a group's annual account for
  the financial year `year` is owed (reminders from March to June after it).
"""

from django.dispatch import Signal

vote_opened = Signal()
vote_closing = Signal()
action_assigned = Signal()
action_overdue = Signal()
progress_due = Signal()
group_account_due = Signal()
