"""A test module adding a placeholder to marketing's templates through its hook, as finance or
a partner's pip package would: the balance of the recipient, in Persian words."""
