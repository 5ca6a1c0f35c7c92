"""A GSM modem spoken to over AT commands (3GPP 27.005/27.007) on a serial port: the alphabet
(:mod:`.gsm7`), the PDUs of 3GPP 23.040 (:mod:`.pdu`), the command/response exchange
(:mod:`.at`) and the operations an SMS panel needs (:mod:`.modem`).

Written here rather than taken from ``python-gsmmodem-new`` (last release 2021, a reader thread
that owns the port for the life of the process, no way to open it only while a job uses it):
the PDU part is small and is checked against an independent decoder (``smspdudecoder``) and the
3GPP examples in the tests."""
