"""Follow-through (theo dõi, đôn đốc): whether the help answers what the communes need.

Five features, each with its module in `models/`, `forms/`, `views/` and (where it writes)
`services/`:

- needs: what a commune asks for, the agencies' answers, the activities that meet it;
- follow_ups: support given to a household, its checks 6 and 12 months later, their photos;
- meetings: review meetings and the tasks their conclusions give;
- plans: an assignment's annual plan; `plans.py` reads results against it from the rollups;
- notifications: the morning digest (`reminders.py`, run by `tasks.py`), its items and settings.

Shared by all: `querysets.py` (scoping and grouped reads), `urls.py`, `admin.py`,
`context_processors.py` (the unread count), `forms/fields.py` (money in đồng).
"""
