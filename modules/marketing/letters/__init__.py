"""Letters and postal labels (MKT-05): templates with merge fields, the letter register with its
numbers, group letters as one PDF, and postal label sheets."""
