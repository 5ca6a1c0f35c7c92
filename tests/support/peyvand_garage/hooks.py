from kernel import Field, Resource, hookimpl

from .models import Vehicle, Visit
from .validation import check_plate, check_visit


@hookimpl
def register_resources():
    return [
        Resource(name="garage.vehicle", model=Vehicle, label="Vehicle", label_plural="Vehicles",
                 form=("plate", "model_year", "owner_partner_id"),
                 fields={"model_year": Field(kind="year", label="Model year"),
                         "plate": Field(validate=check_plate)}),
        Resource(name="garage.visit", model=Visit, label="Service visit", label_plural="Service visits",
                 form=("visited_on", "vehicle_id", "link_resource", "link_id"), title_field="visited_on",
                 validate=check_visit),
    ]
