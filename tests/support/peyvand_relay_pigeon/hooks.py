from kernel import hookimpl


@hookimpl
def register_relay_channels():
    return ["pigeon"]
