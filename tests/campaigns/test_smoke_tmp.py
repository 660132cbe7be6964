from crm.campaigns import operations
from crm.extensions import db


def test_whip_renders(world, make_user, login_as):
    director = make_user("director")
    for i, p in enumerate(world.legislators):
        operations.record_stance(campaign_id=world.campaign.id, legislator_id=p.id, level=["champion","supporter","undecided","unknown","opposed"][i%5], actor=director)
    db.session.commit()
    c = login_as(director)
    for url in ["/campaigns", f"/campaigns/{world.campaign.id}", f"/campaigns/{world.campaign.id}/whip", f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}&as_of=2020-01-01",
                f"/campaigns/{world.campaign.id}/trend.json?stage={world.plenary.id}", f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}",
                f"/campaigns/{world.campaign.id}/export.csv?stage={world.plenary.id}", f"/campaigns/{world.campaign.id}/export.xlsx",
                f"/legislators/{world.legislators[0].id}/stances", f"/campaigns/{world.campaign.id}/stages/new", f"/campaigns/new", f"/campaigns/{world.campaign.id}/edit"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
    print(c.get(f"/campaigns/{world.campaign.id}/trend.json?stage={world.plenary.id}").json)
