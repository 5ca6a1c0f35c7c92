"""The SMS sending pipe: the outbox consumer (:mod:`.consumer`), the one door every message
state change goes through (:mod:`.states`), the partners' timeline (:mod:`.timeline`), and the
delivery and inbound polling (:mod:`.poll`)."""
