from modules.medical.models.file import *  # noqa: F403  (medfile: patients, diseases, documents)
