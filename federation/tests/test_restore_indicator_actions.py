"""An archive made when an indicator evaluated one action restores with that action in its `actions`."""

from federation.management.commands.restore import one_action_to_many


def test_an_old_archive_gives_each_indicator_its_action_as_a_list():
    rows = [
        {"model": "indicators.indicator", "pk": 1, "fields": {"code": "a", "action": 7}},
        {"model": "indicators.indicator", "pk": 2, "fields": {"code": "b", "action": None}},
        {"model": "indicators.historicalindicator", "pk": 3, "fields": {"code": "a", "action": 7}},
    ]
    assert one_action_to_many(rows)
    assert [row["fields"] for row in rows] == [
        {"code": "a", "actions": [7]},
        {"code": "b", "actions": []},
        {"code": "a"},
    ]
    assert not one_action_to_many(rows), "an archive of today's indicators is left as it is"
