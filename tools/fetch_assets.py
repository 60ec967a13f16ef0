"""Fetch the front-end files that no Python package ships, from the npm registry.

Run by `make install` (so by `make run`, `make test` and CI): every CSS/JS asset comes from a
package the install step fetches, never from a CDN at page time, and none is copied into the
repository. Each package is pinned with the registry's own sha512 integrity; a tarball that
does not match is refused. Files land in static/vendor/<package>/ (ignored by git).
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"

# package, version, npm integrity (sha512), files taken from the tarball (under package/)
ASSETS = [
    (
        "tom-select",
        "2.6.2",
        "sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ==",
        [
            "LICENSE",
            "dist/js/tom-select.complete.min.js",
            "dist/js/tom-select.complete.min.js.map",
            "dist/css/tom-select.bootstrap5.min.css",
            "dist/css/tom-select.bootstrap5.min.css.map",
        ],
    ),
]


def fetch(name: str, version: str, integrity: str, files: list[str]) -> None:
    target = VENDOR / name
    stamp = target / ".version"
    if stamp.exists() and stamp.read_text() == f"{version} {integrity}":
        return
    url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        sys.exit(f"{name}@{version}: checksum mismatch ({digest}), refused")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in files:
            content = archive.extractfile(f"package/{member}").read()
            (target / Path(member).name).write_bytes(content)
    stamp.write_text(f"{version} {integrity}")
    print(f"static/vendor/{name}: {name}@{version} from the npm registry")


if __name__ == "__main__":
    for asset in ASSETS:
        fetch(*asset)
