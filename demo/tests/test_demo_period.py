"""The demo's plan and journal against time: the seed document states no period, so the plan has
none and its pages say so; the demo's journal entries fall within the years the demo assumes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions.models import Update
from axes.models import Plan
from demo.period import plan_years

pytestmark = pytest.mark.django_db


def test_the_demo_plan_has_no_period_and_its_pages_say_so(client):
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.current()
    assert (plan.start_year, plan.end_year) == (None, None)  # the seed document states none
    client.login(username="conseil", password="demo")
    page = client.get(reverse("actions:plan_detail", args=[plan.pk])).content.decode()
    assert page.count("période non renseignée") == 1


def test_the_demo_journal_is_dated_within_the_demo_years_never_in_the_future():
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.current()
    first, last = plan_years(plan)
    days = list(Update.objects.filter(action__axis__chapter__plan=plan).values_list("date", flat=True))
    assert len(days) == 7
    assert len(set(days)) == 7  # one entry a month, not all on the day the demo was loaded
    assert all(
        datetime.date(first, 1, 1) <= day <= min(timezone.localdate(), datetime.date(last, 12, 31)) for day in days
    )
