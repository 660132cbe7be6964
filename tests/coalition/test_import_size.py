"""The signature import's confirm step: the checked file comes back in a form field, within the same limit."""

import pytest
from sqlalchemy import func, select

from crm.coalition.models import SignatureBatch
from crm.extensions import db

MB = 1024 * 1024


def test_the_signature_import_confirm_step_refuses_an_oversized_file_before_parsing(
    login_as, make_user, make_drive, monkeypatch
):
    officer = make_user("officer")
    drive = make_drive()
    db.session.commit()
    parsed = []
    monkeypatch.setattr("crm.coalition.csv_import.parse", lambda *a, **k: parsed.append(a) or pytest.fail("parsed"))
    content = "fecha,region,recolector,recolectadas\n" + "2026-01-01,Cusco,DEMUS,5\n" * 90_000  # over 2 MB
    response = login_as(officer).post(f"/petitions/{drive.id}/import", data={"content": content})
    assert response.status_code == 200
    assert "El archivo pasa de 2 MB" in response.get_data(as_text=True)
    assert parsed == []


def test_a_checked_file_of_700_kb_can_be_confirmed(login_as, make_user, make_drive, make_partner, today):
    """Flask's own 500 KB default for a form field used to refuse the confirm step of a valid file."""
    officer = make_user("officer")
    make_partner("DEMUS")
    drive = make_drive()
    db.session.commit()
    note = "Recolección en la puerta de la universidad con voluntarias del colectivo. " * 6
    content = "fecha,region,recolector,recolectadas,notas\n" + f"{today.isoformat()},Cusco,DEMUS,5,{note}\n" * 1500
    assert 600_000 < len(content.encode()) < 2 * MB
    response = login_as(officer).post(f"/petitions/{drive.id}/import", data={"content": content})
    assert response.status_code == 302
    count = db.session.execute(select(func.count(SignatureBatch.id)).where(SignatureBatch.drive_id == drive.id)).scalar()
    assert count == 1500
