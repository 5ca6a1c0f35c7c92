"""Business logic of the finance module, callable without HTTP (one concept per file).

Catalogue: :mod:`.catalogue` (sellable products, variants), :mod:`.pricing` (``price_for``),
:mod:`.policies` (sales policies). Documents — each function works inside the caller's
transaction (``with kernel.session(actor) as session``) and takes ``(kernel, session, actor, …)``:

- :mod:`.documents`  the two kinds of document, their lines and the recomputation of totals
- :mod:`.drafts`     create a document with lines; add, edit, remove a line; header rules
- :mod:`.issuing`    issue (numbering), convert a proforma into its one invoice, cancel, void
- :mod:`.receipts`   cash receipts and the invoice's received amount and open balance
"""
