"""Uploads on a full disk: a French error, and no half-written file left (toolkit.storage)."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a child process whose files may not grow beyond 4 kB (RLIMIT_FSIZE): the write fails
# half-way as on a full disk (EFBIG there, ENOSPC on a disk; the storage treats both alike).
SCRIPT = textwrap.dedent(
    """
    import resource, signal, sys
    from django.conf import settings
    settings.configure()
    from django.core.files.base import ContentFile
    from toolkit.storage import FileSystemStorage, StorageFull

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    storage = FileSystemStorage(location=sys.argv[1])
    print(storage.save("petit.pdf", ContentFile(b"%PDF" + b"0" * 1000)))
    try:
        storage.save("justificatifs/gros.pdf", ContentFile(b"%PDF" + b"0" * 200_000))
    except StorageFull as error:
        print("refusé :", error)
    """
)


def test_a_write_that_fails_half_way_leaves_no_file_and_says_so_in_french(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    saved, refused = result.stdout.strip().splitlines()
    assert saved == "petit.pdf"
    assert refused.startswith("refusé : Le serveur n’a plus de place pour enregistrer ce fichier")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["petit.pdf"]
