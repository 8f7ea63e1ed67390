"""The reader API: django-ninja under /api/v1/, composed from each app's `api` module."""
