"""The follow-through's pages, a module per feature: needs, follow_ups, meetings (with their
tasks), plans, notifications."""
