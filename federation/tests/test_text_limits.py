"""Every text has a length limit, the same for the forms, the imports and the database (issue 16).

`Action.title` and `Objective.text` had none: a 100 MB title from a 103 KB XLSX made the axis
page weigh 108 MB and every search take 80-97 s.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action, Update
from actions.tests.factories import ActionFactory
from axes.models import Axis, Objective
from axes.tests.factories import AxisFactory, ObjectiveFactory
from federation.lists import LISTS
from indicators.models import Measurement
from network.models import Structure
from toolkit.limits import LONG_TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, refuse_longer_texts
from toolkit.tables import table_import, table_read

pytestmark = pytest.mark.django_db

# Every long text of the plan, the journal, the values and the network: (model, field, limit).
BOUNDED = [
    (Action, "title", TITLE_MAX_LENGTH),
    (Action, "description", LONG_TEXT_MAX_LENGTH),
    (Objective, "text", TITLE_MAX_LENGTH),
    (Axis, "context", LONG_TEXT_MAX_LENGTH),
    (Axis, "stakes", LONG_TEXT_MAX_LENGTH),
    (Update, "text", LONG_TEXT_MAX_LENGTH),
    (Measurement, "comment", LONG_TEXT_MAX_LENGTH),
    (Structure, "address", TITLE_MAX_LENGTH),
]


@pytest.mark.parametrize(("model", "field", "limit"), BOUNDED, ids=lambda v: getattr(v, "__name__", str(v)))
def test_the_model_validates_and_the_form_field_carries_the_limit(model, field, limit):
    model_field = model._meta.get_field(field)
    assert model_field.max_length == limit
    assert model_field.formfield().max_length == limit  # the forms refuse it, and say so in French
    assert any(getattr(validator, "limit_value", None) == limit for validator in model_field.validators)


@pytest.mark.parametrize(
    ("make", "field", "limit"),
    [
        (lambda: ActionFactory(), "title", TITLE_MAX_LENGTH),
        (lambda: ActionFactory(), "description", LONG_TEXT_MAX_LENGTH),
        (lambda: ObjectiveFactory(), "text", TITLE_MAX_LENGTH),
        (lambda: AxisFactory(), "context", LONG_TEXT_MAX_LENGTH),
    ],
)
def test_the_database_refuses_a_longer_text_whatever_writes_it(make, field, limit):
    obj = make()
    manager = type(obj)._base_manager
    manager.filter(pk=obj.pk).update(**{field: "é" * limit})  # the limit is in characters
    with pytest.raises(IntegrityError), transaction.atomic():
        manager.filter(pk=obj.pk).update(**{field: "é" * (limit + 1)})


def test_the_action_form_refuses_a_longer_title_in_french(client, staff_user):
    axis = AxisFactory()
    client.force_login(staff_user)
    response = client.post(
        reverse("actions:action_create", args=[axis.pk]),
        {"title": "x" * (TITLE_MAX_LENGTH + 1), "status": "planned", "weight": 1},
    )
    assert response.status_code == 200
    assert "au plus 500 caractères" in " ".join(response.context["form"].errors["title"])
    assert not Action.objects.exists()


def test_the_list_import_refuses_a_longer_title_naming_its_line_and_column():
    axis = AxisFactory()
    content = f"axe;intitulé\n{axis.pk};Courte\n{axis.pk};{'x' * (TITLE_MAX_LENGTH + 1)}\n".encode()
    report = table_import(kind=LISTS["actions"], dataset=table_read(content=content, filename="a.csv"), dry_run=False)
    assert not report.ok
    assert [(error.line, error.column) for error in report.errors] == [(3, "intitulé")]
    assert "au plus 500 caractères" in report.errors[0].message
    assert not Action.objects.exists()  # all or nothing


def test_the_migration_stops_on_existing_longer_texts_and_names_them():
    action = ActionFactory(title="Une action au titre long")
    guard = refuse_longer_texts("actions", {"action": {"title": 10}})
    with pytest.raises(RuntimeError, match=rf"action.title \(au-delà de 10 caractères\)\u00a0: n° {action.pk}"):
        guard.code(apps, None)
    refuse_longer_texts("actions", {"action": {"title": 100}}).code(apps, None)  # fits: goes on
    action.refresh_from_db()
    assert action.title == "Une action au titre long"  # nothing shortened


def test_the_plan_document_reader_refuses_a_longer_objective_naming_its_line(settings):
    from axes import document

    assert (document.MAX_ITEM_LENGTH, document.MAX_SECTION_LENGTH) == (TITLE_MAX_LENGTH, LONG_TEXT_MAX_LENGTH)
    lines = Path(settings.SEED_PLAN_DOCUMENT).read_text(encoding="utf-8").splitlines()
    assert lines[36].startswith("Développer une gouvernance")
    lines[36] = "Développer " + "une gouvernance partagée, " * 30
    with pytest.raises(document.DocumentError, match=r"dépasse 500 caractères.*\(ligne 37\)"):
        document.parse_plan_document("\n".join(lines))
