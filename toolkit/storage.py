"""Uploaded files on disk, without half-written files when the disk is full.

Django's FileSystemStorage leaves whatever it had written when a write fails (a full disk,
a quota): a truncated file that no row points to. This one removes it and raises
`StorageFull`, whose message (French, for the person who uploaded) the views show on the
form; the service's transaction rolls back, so nothing of the upload is kept.
"""

import errno
import os

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class StorageFull(OSError):
    message = (
        "Le serveur n’a plus de place pour enregistrer ce fichier : rien n’a été enregistré. "
        "Réessayez plus tard, ou prévenez l’équipe fédérale."
    )

    def __str__(self):
        return self.message


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)
        except OSError as error:
            if error.errno not in FULL:
                raise
            if not existed and os.path.lexists(full_path):
                os.remove(full_path)
            raise StorageFull(error.errno, StorageFull.message) from error
