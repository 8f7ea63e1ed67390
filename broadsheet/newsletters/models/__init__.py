"""The newsletters' models, one module per concern; import them from here."""

from broadsheet.newsletters.models.deliveries import Delivery, SendRun
from broadsheet.newsletters.models.issues import Issue, IssueStory
from broadsheet.newsletters.models.lists import NewsletterList
from broadsheet.newsletters.models.subscribers import Membership, Subscriber

__all__ = ["Delivery", "Issue", "IssueStory", "Membership", "NewsletterList", "SendRun", "Subscriber"]
