"""Device drivers: each turns a device's bytes into :mod:`devices.events` (see ``base.Driver``)."""
