from kernel import hookspec


@hookspec
def register_relay_channels(kernel):
    """Channels a message may leave by: ``list[str]`` of channel names."""
