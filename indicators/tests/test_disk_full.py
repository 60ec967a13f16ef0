"""A value whose proof file meets a full disk: a French message on the form, nothing kept."""

import errno

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.urls import reverse

from indicators.models import Measurement

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_a_full_disk_during_the_upload_keeps_nothing_and_says_so(client, staff_user, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    indicator = IndicatorFactory()

    def chunks_then_full(self, chunk_size=None):
        yield b"%PDF-1.4 " + b"0" * 1000  # written…
        raise OSError(errno.ENOSPC, "No space left on device")  # …then the disk is full

    monkeypatch.setattr(InMemoryUploadedFile, "chunks", chunks_then_full)
    client.force_login(staff_user)
    response = client.post(
        reverse("indicators:measurement_create", args=[indicator.pk]),
        {
            "period": "2024",
            "value": "4",
            "comment": "Bilan annuel",
            "evidence": SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le serveur n’a plus de place pour enregistrer ce fichier : rien n’a été enregistré." in html
    assert "Bilan annuel" in html  # what was typed comes back
    assert not Measurement.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
