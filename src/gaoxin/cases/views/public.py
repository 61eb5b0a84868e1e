"""The public progress page of a joint meeting: what was raised, what was done, how long
it took — an accountability page anyone may open, carrying no personal data."""

from django.shortcuts import render

from gaoxin.cases import selectors
from gaoxin.core.views_common import pages


@pages
def progress(request, meeting_id: int):
    meeting, rows = selectors.meeting_progress(meeting_id=meeting_id)
    resolved = [r for r in rows if r.resolved]
    context = {
        "meeting": meeting,
        "zone_name": meeting.zone.name,
        "rows": rows,
        "raised": len(rows),
        "resolved": len(resolved),
    }
    return render(request, "cases/public/progress.html", context)
