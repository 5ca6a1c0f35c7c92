from modules.sales.models.board_total import BoardTotal
from modules.sales.models.lead import Lead
from modules.sales.models.lost_reason import LostReason
from modules.sales.models.opportunity import Opportunity
from modules.sales.models.order import SalesOrder, SalesOrderLine
from modules.sales.models.pipeline import Pipeline, Stage

__all__ = ["BoardTotal", "Lead", "LostReason", "Opportunity", "Pipeline", "SalesOrder", "SalesOrderLine", "Stage"]
