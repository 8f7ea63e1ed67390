"""One parser per wire format; each turns bytes into a `ParsedFile` without touching the database."""
