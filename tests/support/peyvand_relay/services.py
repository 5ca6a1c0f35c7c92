def channels(kernel) -> list[str]:
    """Every channel the enabled modules offer, through the relay's own hook."""
    return sorted(name for answer in kernel.pm.hook.register_relay_channels(kernel=kernel) for name in answer or ())
