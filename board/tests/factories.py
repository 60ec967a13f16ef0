import datetime

import factory

from board.models import BoardMeeting


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
