"""The machine-made carpet vertical (CRP-01…02): designs and their variants, warranty cards per
sold carpet registered by the end customer's SMS, dealers, and the online-shop adapter."""
