import io

import pytest
from django.core.management import call_command

from actions.models import Update
from actions.selectors import axes_with_progress, plan_progress
from axes.models import Plan


@pytest.mark.django_db
def test_seed_demo_gives_every_axis_a_progress_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.current()
    assert all(axis.progress is not None for axis in axes_with_progress(plan))
    assert 0 < plan_progress(plan) < 100
    assert Update.objects.count() == 7  # idempotent: the second run added nothing
