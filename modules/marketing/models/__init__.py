"""The marketing module's tables, one concept per file."""

from modules.marketing.models.campaign import Campaign
from modules.marketing.models.campaign_step import CampaignStep
from modules.marketing.models.campaign_target import CampaignTarget
from modules.marketing.models.category import Category
from modules.marketing.models.date_rule import DateRule, DateRuleSent
from modules.marketing.models.inbound import Inbound
from modules.marketing.models.letter import Letter
from modules.marketing.models.letter_print import LetterPrint
from modules.marketing.models.letter_template import LetterTemplate
from modules.marketing.models.message import Message
from modules.marketing.models.occasion_rule import OccasionRule
from modules.marketing.models.occasion_run import OccasionRun
from modules.marketing.models.opt_out import OptOut
from modules.marketing.models.panel import Panel
from modules.marketing.models.send import Send
from modules.marketing.models.template import Template

__all__ = ["Campaign", "CampaignStep", "CampaignTarget", "Category", "DateRule", "DateRuleSent", "Inbound", "Letter",
           "LetterPrint", "LetterTemplate", "Message", "OccasionRule", "OccasionRun", "OptOut", "Panel", "Send", "Template"]
