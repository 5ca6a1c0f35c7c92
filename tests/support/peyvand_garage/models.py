import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class Vehicle(Record, Base):
    __tablename__ = "garage_vehicle"
    plate: Mapped[str] = mapped_column(String(20))
    model_year: Mapped[int | None] = mapped_column(Integer)
    owner_partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)


class Visit(Record, Base):
    __tablename__ = "garage_visit"
    visited_on: Mapped[dt.date] = mapped_column(index=True)
    vehicle_id: Mapped[int] = mapped_column(BigId, ForeignKey("garage_vehicle.id"), index=True)
    # A generic link, as tasks and communications have: no foreign key, a resource name and an id.
    link_resource: Mapped[str | None] = mapped_column(String(80))
    link_id: Mapped[int | None] = mapped_column(BigId)
