"""Writes of the board's own record."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import BoardMeeting


@transaction.atomic
def board_meeting_create(*, user, date: datetime.date, title: str = "") -> BoardMeeting:
    if not user.has_perm("board.add_boardmeeting"):
        raise PermissionDenied("Seule l’équipe fédérale enregistre les réunions du conseil.")
    meeting = BoardMeeting(date=date, title=title)
    meeting.full_clean()
    meeting._history_user = user
    meeting.save()
    return meeting
