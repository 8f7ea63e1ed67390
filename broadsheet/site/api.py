"""The site's part of the reader API: stories (reading) and the reader's account.

`broadsheet.api` adds every app's `router`; the site's two are joined here.
"""

from ninja import Router

from broadsheet.site.reader_api import router as reader_router
from broadsheet.site.stories_api import router as stories_router

router = Router()
router.add_router("", stories_router)
router.add_router("", reader_router)
