"""Dashboard, health check and the front-end libraries served by the app itself."""
