from tests.newsletters.builders import relay  # noqa: F401  (the local relay fixture)
