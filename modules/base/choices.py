"""Fixed lists of the base module (message ids; Persian in i18n/fa/base.json)."""

KINDS = (("person", "Person"), ("company", "Company"))
TITLES = (("dr", "Dr."), ("eng", "Eng."), ("prof", "Prof."), ("mr", "Mr."), ("mrs", "Mrs."), ("ms", "Ms."),
          ("hajj", "Hajj"))
GENDERS = (("male", "Male"), ("female", "Female"))
MARITAL = (("single", "Single"), ("married", "Married"))
RELIGIONS = (("shia", "Shia Muslim"), ("sunni", "Sunni Muslim"), ("christian", "Christian"),
             ("jewish", "Jewish"), ("zoroastrian", "Zoroastrian"), ("other", "Other religion"))
COMPANY_TYPES = (("private", "Private"), ("governmental", "Governmental"), ("semi_public", "Semi-public"),
                 ("cooperative", "Cooperative"), ("ngo", "Non-profit"))
INDUSTRIES = (("industrial", "Industrial"), ("services", "Services"), ("commercial", "Commercial"),
              ("agricultural", "Agricultural"), ("construction", "Construction"), ("other", "Other"))
GRADES = (("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"))
IMPORTANCE = (("strategic", "Strategic"), ("important", "Important"), ("normal", "Normal"))
CONTACT_KINDS = (("mobile", "Mobile"), ("phone", "Phone"), ("fax", "Fax"), ("email", "E-mail"))
ADDRESS_PURPOSES = (("main", "Main"), ("head_office", "Head office"), ("factory", "Factory"),
                    ("warehouse", "Warehouse"), ("branch", "Branch"), ("home", "Home"), ("postal", "Postal"))
COMM_KINDS = (("call", "Call"), ("meeting", "Meeting"), ("email", "E-mail"), ("sms", "SMS"), ("letter", "Letter"),
              ("visit", "Visit"), ("fax", "Fax"))
DIRECTIONS = (("out", "Outgoing"), ("in", "Incoming"))
DEFAULT_ROLES = (("lead", "Lead"), ("opportunity", "Opportunity"), ("customer", "Customer"),
                 ("supplier", "Supplier"), ("competitor", "Competitor"), ("partner", "Business partner"),
                 ("agent", "Sales agent"))
# (code, label, reverse label, persons only): what ``other`` is to ``partner`` and back.
DEFAULT_RELATIONS = (
    ("spouse", "Spouse", "Spouse", True),
    ("parent", "Parent", "Child", True),
    ("child", "Child", "Parent", True),
    ("sibling", "Sibling", "Sibling", True),
    ("companion", "Companion", "Accompanies", True),
    ("guardian", "Guardian", "Ward", True),
    ("referred_by", "Introduced by", "Introduced", False),
)
PREFERENCE_KINDS = (("like", "Likes"), ("dislike", "Dislikes"), ("illness", "Illness"), ("allergy", "Allergy"),
                    ("companion", "Companions"), ("other", "Other note"))
PLANNED_KINDS = (("call", "Call"), ("visit", "Visit"), ("email", "E-mail"), ("sms", "SMS"))
PLANNED_STATES = (("planned", "Planned"), ("done", "Carried out"), ("cancelled", "Cancelled"))
