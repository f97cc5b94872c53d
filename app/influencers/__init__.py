"""Influencers: the list, bulk actions, profiles, accounts, audiences, timeline, export, GDPR."""
