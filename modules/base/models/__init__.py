"""The base module's tables; importing this package registers them all."""

from modules.base.models.communication import Communication
from modules.base.models.geography import City, Country, Province, Region
from modules.base.models.imports import Import, ImportError_
from modules.base.models.partner import (
    Address,
    Contact,
    Employment,
    Partner,
    PartnerGroup,
    PartnerRole,
    RoleKind,
)
from modules.base.models.planned import PlannedCommunication
from modules.base.models.relation import Preference, Relation, RelationKind
from modules.base.models.scope import RoleCity, RoleProvince, RoleRegion

__all__ = [
    "Address", "City", "Communication", "Contact", "Country", "Employment", "Import", "ImportError_", "Partner",
    "PartnerGroup", "PlannedCommunication", "Preference", "Relation", "RelationKind",
    "PartnerRole", "Province", "Region", "RoleCity", "RoleKind", "RoleProvince", "RoleRegion",
]
