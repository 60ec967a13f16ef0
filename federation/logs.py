"""Log lines as JSON, one event per line, for the security log (settings.LOGGING).

A log shipper reads them without a parser of its own: each line is one JSON object with the
time (`ts`, ISO 8601 with the offset), the level, the logger, the message, the request id,
and every field the caller passed in `extra` among FIELDS (for security events: `event`,
`user`, `ip`, `path`, `method`, `status`, `detail`).
"""

import datetime
import json
import logging

FIELDS = ("event", "user", "ip", "path", "method", "status", "detail")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
