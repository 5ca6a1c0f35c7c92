"""Business logic of the base module, callable without HTTP: routes only parse, call and render."""
