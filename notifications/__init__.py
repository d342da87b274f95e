"""Each person's inbox: what needs them, from every app, and how they want to be told.

Its own app rather than part of `accounts` because it has every layer of one (models, services,
selectors, views, tasks, beat entries, templates) while `accounts` is the user and nothing else;
it depends only on `accounts` and `sli_portal`, so every other app may record into it:
`accounts` <- `notifications` <- `regions` <- the other apps. It knows nothing of regions, votes
or returns: a notification carries a generic target (content type + id), its own text and URL.
The apps choose recipients by rule in their own receivers of their own named signals.
"""
