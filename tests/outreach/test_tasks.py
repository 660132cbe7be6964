"""Tasks: my buckets in the user's timezone, team view for directors, complete/reopen in place, permissions."""

from datetime import timedelta

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.core.time import local_day_bounds, local_today, utcnow
from crm.extensions import db
from crm.outreach.models import Task
from crm.outreach.queries import my_tasks


def test_my_tasks_buckets_in_the_users_timezone(make_user, add_task):
    officer = make_user("officer", timezone="Asia/Tokyo")
    now = utcnow()
    today = local_today("Asia/Tokyo", now)
    start, end = local_day_bounds(today, "Asia/Tokyo")
    add_task(officer, "Vencida", due_at=now - timedelta(hours=1))
    add_task(officer, "Hoy más tarde", due_at=min(now + timedelta(minutes=5), end - timedelta(seconds=1)))
    add_task(officer, "Lejana", due_at=now + timedelta(days=30))
    add_task(officer, "Sin fecha")
    add_task(officer, "Hecha", due_at=now - timedelta(days=1), status="done")
    add_task(make_user("officer"), "De otra persona", due_at=now - timedelta(days=1))
    db.session.commit()
    buckets = my_tasks(officer, now)
    titles = lambda rows: [r.Task.title for r in rows]  # noqa: E731
    assert titles(buckets.overdue) == ["Vencida"]
    assert titles(buckets.today) == ["Hoy más tarde"]
    assert titles(buckets.later) == ["Lejana", "Sin fecha"]
    assert buckets.total == 4


def test_my_tasks_page_and_this_week(make_user, login_as, add_task):
    officer = make_user("officer")
    now = utcnow()
    today = local_today("America/Lima", now)
    _, end_of_today = local_day_bounds(today, "America/Lima")
    add_task(officer, "Atrasada", due_at=now - timedelta(days=2))
    if today.weekday() < 6:
        add_task(officer, "Antes del domingo", due_at=end_of_today + timedelta(hours=2))
    db.session.commit()
    body = login_as(officer).get("/tasks").get_data(as_text=True)
    assert body.index("Vencidas") < body.index("Atrasada") < body.index("Hoy")
    if today.weekday() < 6:
        assert body.index("Esta semana") < body.index("Antes del domingo") < body.index("Más adelante")


def test_complete_and_reopen_in_place_with_htmx(make_user, login_as, add_task):
    officer = make_user("officer")
    task = add_task(officer, "Enviar informe", due_at=utcnow() + timedelta(days=1))
    db.session.commit()
    client = login_as(officer)
    response = client.post(f"/tasks/{task.id}/complete", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith(f'<li class="list-group-item d-flex gap-2 align-items-start" id="task-{task.id}"')
    assert "<html" not in body and "Reabrir" in body
    db.session.expire_all()
    assert task.status == "done" and task.completed_by_id == officer.id and task.completed_at is not None
    response = client.post(f"/tasks/{task.id}/reopen", headers={"HX-Request": "true"})
    assert "Marcar como hecha" in response.get_data(as_text=True)
    db.session.expire_all()
    assert task.status == "open" and task.completed_at is None and task.completed_by_id is None
    actions = db.session.execute(select(AuditEntry.action).where(AuditEntry.object_type == "Task")).scalars().all()
    assert actions == ["task.complete", "task.reopen"]


def test_officers_modify_only_their_tasks(make_user, login_as, add_task):
    owner = make_user("officer")
    other = make_user("officer")
    director = make_user("director")
    viewer = make_user("viewer")
    mine = add_task(owner, "Tarea privada")
    created_for_someone = add_task(owner, "Encargada por otro", creator=other)
    db.session.commit()
    client = login_as(other)
    assert client.post(f"/tasks/{mine.id}/complete").status_code == 403
    assert client.get(f"/tasks/{mine.id}/edit").status_code == 403
    assert client.post(f"/tasks/{mine.id}/edit", data={"title": "robada", "priority": "normal", "status": "open"}).status_code == 403
    # The creator may still act on a task they handed to someone else.
    assert client.post(f"/tasks/{created_for_someone.id}/complete").status_code == 302
    assert login_as(viewer).post(f"/tasks/{mine.id}/complete").status_code == 403
    assert login_as(viewer).get("/tasks").status_code == 403
    db.session.expire_all()
    assert mine.status == "open" and mine.title == "Tarea privada"
    assert login_as(director).post(f"/tasks/{mine.id}/complete").status_code == 302
    assert login_as(owner).post("/tasks/999999/complete").status_code == 404


def test_create_and_edit_task_forms(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    colleague = make_user("officer", name="Olga Oficial")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    form = client.get(f"/tasks/new?legislator={legislator.id}&campaign={campaign.id}").get_data(as_text=True)
    assert "Sobre: Rosa Mavila" in form
    bad = client.post("/tasks/new", data={"title": "", "priority": "normal", "assignee_id": str(officer.id),
                                          "description": "texto que se conserva"})
    assert bad.status_code == 422 and "Escriba el título de la tarea." in bad.get_data(as_text=True)
    assert "texto que se conserva" in bad.get_data(as_text=True)
    response = client.post("/tasks/new", data={
        "title": "Preparar minuta", "priority": "high", "assignee_id": str(colleague.id), "due_date": "2026-12-01",
        "due_time": "", "campaign_id": str(campaign.id), "legislator_id": str(legislator.id),
    })
    assert response.status_code == 302
    task = db.session.execute(select(Task)).scalar_one()
    assert task.assignee_id == colleague.id and task.created_by_id == officer.id and task.legislator_id == legislator.id
    assert task.due_at.isoformat() == "2026-12-01T23:00:00+00:00"  # 18:00 in Lima
    response = client.post(f"/tasks/{task.id}/edit", data={
        "title": "Preparar minuta v2", "priority": "normal", "assignee_id": str(colleague.id), "due_date": "2026-12-02",
        "due_time": "10:00", "campaign_id": str(campaign.id), "legislator_id": str(legislator.id), "status": "cancelled",
    })
    assert response.status_code == 302
    db.session.expire_all()
    assert task.title == "Preparar minuta v2" and task.status == "cancelled" and task.completed_by_id == officer.id
    update = db.session.execute(select(AuditEntry).where(AuditEntry.action == "task.update")).scalar_one()
    assert update.old_values["title"] == "Preparar minuta" and update.new_values["status"] == "cancelled"


def test_team_tasks_filters_and_overdue_counts(make_user, login_as, add_task, make_campaign):
    director = make_user("director")
    olga = make_user("officer", name="Olga Oficial")
    oscar = make_user("officer", name="Óscar Oficial")
    campaign = make_campaign()
    past, future = utcnow() - timedelta(days=3), utcnow() + timedelta(days=3)
    add_task(olga, "Olga vencida 1", due_at=past, campaign=campaign)
    add_task(olga, "Olga vencida 2", due_at=past)
    add_task(olga, "Olga a tiempo", due_at=future)
    add_task(oscar, "Óscar hecha", due_at=past, status="done")
    add_task(oscar, "Óscar a tiempo", due_at=future, campaign=campaign)
    db.session.commit()
    assert login_as(olga).get("/tasks/team").status_code == 403
    client = login_as(director)
    body = client.get("/tasks/team").get_data(as_text=True)
    assert "Olga vencida 1" in body and "Óscar a tiempo" in body and "Óscar hecha" not in body
    counts = body[body.index("Tareas pendientes por persona"):body.index("</table>")]
    assert '<span class="badge text-bg-danger">2</span>' in counts
    body = client.get(f"/tasks/team?assignee={oscar.id}&status=done").get_data(as_text=True)
    listing = body.split("</select>")[-1]
    assert "Óscar hecha" in listing and "Olga" not in listing
    body = client.get(f"/tasks/team?campaign={campaign.id}").get_data(as_text=True).split("</select>")[-1]
    assert "Olga vencida 1" in body and "Óscar a tiempo" in body and "Olga vencida 2" not in body


def _fill(officer, add_task, make_legislator, make_campaign, n, prefix):
    campaign = make_campaign(f"Campaña {prefix}")
    for i in range(n):
        legislator = make_legislator(f"Legisladora {prefix}{i}")
        add_task(officer, f"Tarea {prefix}{i}", due_at=utcnow() + timedelta(days=i - n // 2), legislator=legislator, campaign=campaign)
    db.session.commit()


def test_task_pages_cost_a_constant_number_of_statements(
    make_user, login_as, add_task, make_legislator, make_campaign, count_queries
):
    officer = make_user("officer")
    director = make_user("director")
    make_user("officer")
    client = login_as(officer)
    counts = {}
    for size, prefix in ((3, "a"), (30, "b")):
        _fill(officer, add_task, make_legislator, make_campaign, size, prefix)
        with count_queries() as mine:
            assert client.get("/tasks").status_code == 200
        login_as(director)
        with count_queries() as team:
            assert client.get("/tasks/team").status_code == 200
        login_as(officer)
        counts[size] = (len(mine), len(team))
    assert counts[3] == counts[30], counts
    assert counts[3][0] <= 4 and counts[3][1] <= 6, counts


def test_legislator_names_on_my_tasks_link_to_the_profile(make_user, login_as, add_task, make_legislator):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    add_task(officer, "Llamar a su asesora", due_at=utcnow() + timedelta(days=1), legislator=legislator)
    db.session.commit()
    body = login_as(officer).get("/tasks").get_data(as_text=True)
    assert f'<a href="/legislators/{legislator.id}">Rosa Mavila</a>' in body
