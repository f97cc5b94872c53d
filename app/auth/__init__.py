"""Login, logout, the Flask-Login wiring, and the team's accounts (creation, roles, passwords)."""
