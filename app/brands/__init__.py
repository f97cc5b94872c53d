"""brands blueprint."""
