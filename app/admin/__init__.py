"""Administration (users, audit log, platform rates, scoring weights) and each user's profile."""
