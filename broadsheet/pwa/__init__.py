"""The installable reading app at /app/: a small web app on the reader API alone."""
