"""Django's database sessions (revocable on the server: signing out or deleting a session ends
it), each request's read of one made with a prepared query (`monev.web.prepared`): every page
and every cell save reads its session first, and Django's ORM compiles that query anew each time.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from monev.web.prepared import Prepared

_READ = Prepared(
    lambda key: Session.objects.filter(session_key=key).values_list("session_data", "expire_date"),
    "~sampel-kunci-sesi~",
)


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        # Django's `_get_session_from_db` and `load`: an unknown or expired session is none.
        row = _READ.first(self.session_key) if self.session_key else None
        if row is None or row[1] <= timezone.now():
            self._session_key = None
            return {}
        return self.decode(row[0])  # type: ignore[no-any-return]
