from modules.telephony.models.call import Call
from modules.telephony.models.device import Device
from modules.telephony.models.extension import Extension
from modules.telephony.models.status import DeviceStatus, GarbledLine

__all__ = ["Call", "Device", "DeviceStatus", "Extension", "GarbledLine"]
