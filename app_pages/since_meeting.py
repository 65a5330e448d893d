"""The steering committee's "since the last meeting" slide (`since-last-meeting` on the agenda): how far each
indicator moved since the last of the `meeting_types` (a steering committee) before the as-of date."""

from ui import slide_view
from ui.context import current

ctx = current()
slide_view.show(slide_view.since_slide(ctx.data, ctx.as_of))
