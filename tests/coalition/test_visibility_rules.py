from crm.campaigns import visibility as campaign_visibility
from crm.core import visibility


def test_partner_sees_only_its_own_organisation(make_user, make_partner):
    own, other = make_partner(), make_partner()
    viewer = make_user("viewer", partner_organisation_id=own.id)
    loose = make_user("viewer")
    officer = make_user("officer")
    assert visibility.can_see_partner(viewer, own.id) and not visibility.can_see_partner(viewer, other.id)
    assert not visibility.can_see_partner(loose, own.id)
    assert visibility.can_see_partner(officer, other.id)
    assert not visibility.can_see_partner_notes(viewer) and visibility.can_see_partner_notes(officer)
    assert not visibility.can_see_batch_notes(viewer)


def test_internal_notes_are_withheld_from_partners(make_user, make_partner):
    viewer = make_user("viewer", partner_organisation_id=make_partner().id)
    officer = make_user("officer")
    assert visibility.visible_notes(viewer, "secreto", internal=True) is None
    assert visibility.visible_notes(viewer, "público", internal=False) == "público"
    assert visibility.visible_notes(officer, "secreto", internal=True) == "secreto"


def test_whip_list_grants(make_user, make_partner, make_campaign):
    from crm.campaigns.models import CampaignPartnerAccess
    from crm.extensions import db

    partner = make_partner()
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    aggregate, whip, none = make_campaign(), make_campaign(), make_campaign()
    db.session.add_all([
        CampaignPartnerAccess(campaign_id=aggregate.id, partner_organisation_id=partner.id, level="aggregate"),
        CampaignPartnerAccess(campaign_id=whip.id, partner_organisation_id=partner.id, level="whip_list"),
    ])
    db.session.flush()
    assert campaign_visibility.whip_list_campaign_ids(viewer) == {whip.id}
    assert campaign_visibility.can_see_whip_list(viewer, whip.id)
    assert not campaign_visibility.can_see_whip_list(viewer, aggregate.id) and not campaign_visibility.can_see_whip_list(viewer, none.id)
    assert campaign_visibility.whip_list_campaign_ids(make_user("officer")) is None
    assert not visibility.can_write(viewer)
