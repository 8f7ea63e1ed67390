"""The newsletters in the desk: lists (subscription managers), issues (editors), subscribers and deliveries."""

from broadsheet.newsletters.admin import issues, lists, subscribers

__all__ = ["issues", "lists", "subscribers"]
