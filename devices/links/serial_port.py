"""A device on a serial port, opened with pyserial's ``serial_for_url``: a device node
(``/dev/ttyUSB0``), a pseudo-terminal (a simulator) or a PBX's TCP output
(``socket://192.168.1.20:2300``) are the same to it. Bytes go to the device's driver."""

from __future__ import annotations

from typing import Any

import serial

from devices.spec import DeviceSpec, LinkIO, utcnow


class SerialLink:
    def run(self, spec: DeviceSpec, io: LinkIO) -> None:
        port: Any = None
        try:
            port = serial.serial_for_url(spec.url, baudrate=spec.baudrate, parity=spec.parity,
                                         bytesize=spec.bytesize, stopbits=spec.stopbits,
                                         timeout=io.read_timeout, exclusive=True)
            driver = spec.make_driver()
            io.opened()
            for command in driver.init_commands():
                port.write(command)
                port.flush()
            while not io.stop.is_set():
                data = port.read(max(1, port.in_waiting))
                if data:
                    io.received(driver.feed(data, utcnow()))
        finally:
            if port is not None:
                try:
                    port.close()
                except Exception:
                    pass
