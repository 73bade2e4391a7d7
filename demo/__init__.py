"""The demo province, at the top of the ladder because it builds data for every app below:
`manage.py seed_demo [--scale N]` (the command), `builder` (Điện Biên's agencies, decisions,
activities, contributions, field visits, needs, plans, follow-ups, tasks and one login per
role) and `data` (the tables it draws from)."""
