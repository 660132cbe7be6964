import pytest

from crm.coalition.models import PartnerOrganisation
from crm.extensions import db


@pytest.fixture
def partner():
    org = PartnerOrganisation(name="Colectiva Aliada")
    db.session.add(org)
    db.session.commit()
    return org
