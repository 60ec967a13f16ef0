"""The help page: roles and pages explained to anyone logged in; the benchmarks' floor."""

from django.urls import reverse


def test_help_explains_roles_to_a_user_without_role(client, roleless_user, django_assert_max_num_queries):
    client.force_login(roleless_user)
    # The session and the user, plus the menu's role lookup: nothing that grows with the data.
    with django_assert_max_num_queries(6):  # the menu's unread notifications included
        response = client.get(reverse("help"))
    assert response.status_code == 200
    text = response.content.decode()
    for role in ("Équipe fédérale", "Direction de centre", "Conseil d’administration", "Administration"):
        assert role in text
    assert "Se déconnecter" in text  # rendered inside base.html
    assert "<script>" not in text  # no inline script (Content-Security-Policy)


def test_help_needs_login(client):
    response = client.get(reverse("help"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
