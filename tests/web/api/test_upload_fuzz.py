"""Fuzz the upload API: seeded hostile files never get a 500 or a traceback, only a draft or the
file's Chinese error (the readers and parser get a few hundred more in tests/plan/test_fuzz.py)."""

from __future__ import annotations

from tests.fuzzgen import inputs

SEED = 20261203


def test_upload_api_never_answers_500(signed_in):
    supervisor = signed_in("sup", "supervisor")
    for k, (name, data) in enumerate(inputs(SEED, 8)):
        r = supervisor.post("/api/v1/imports", files={"file": (name, data, "application/octet-stream")})
        assert r.status_code in (200, 201, 409, 413, 422), (k, name, r.status_code, r.text[:300])
        assert "Traceback" not in r.text
        if r.status_code >= 400:
            assert r.json()["error"]["message"]
