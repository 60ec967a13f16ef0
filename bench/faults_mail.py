"""`make faults`' e-mail backend: each message appended to a file, then a pause.

The pause (FAULTS_MAIL_DELAY seconds, after the message is « out ») is when `make faults`
kills the worker: the worst moment, an e-mail gone but not yet marked sent.
"""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        for message in messages:
            with open(os.environ["FAULTS_MAIL_FILE"], "a", encoding="utf-8") as out:
                out.write(json.dumps({"to": message.to, "subject": message.subject}, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
            time.sleep(float(os.environ.get("FAULTS_MAIL_DELAY", "1")))
        return len(messages)
