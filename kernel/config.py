"""Where the instance lives and what it runs: environment variables plus ``$PEYVAND_HOME/peyvand.json``."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_EDITION = "tier1"


@dataclass(frozen=True)
class Config:
    """Everything a Kernel needs to start. Tests build one directly; the CLI reads the environment."""

    home: Path
    database_url: str
    edition: str = DEFAULT_EDITION
    extra_modules: tuple[str, ...] = ()
    # Packages to load as modules although no entry point names them (tests, local work).
    extra_packages: tuple[str, ...] = ()
    secret_key: str = ""
    default_area_code: str = "21"
    timezone: str = "Asia/Tehran"
    max_upload_bytes: int = 10 * 1024 * 1024
    # Every other request body (forms, JSON): refused with 413 before it is read past this.
    max_body_bytes: int = 2 * 1024 * 1024
    run_scheduler: bool = False
    https_only_cookies: bool = False
    # Outgoing e-mail (alarms by e-mail): nothing is sent while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    # How users reach the server ("https://crm.example.ir"): links in e-mails start with it.
    public_url: str = ""
    settings: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def files_dir(self) -> Path:
        return self.home / "files"

    @property
    def instance_file(self) -> Path:
        return self.home / "peyvand.json"

    def with_modules(self, edition: str, extra: tuple[str, ...]) -> Config:
        return replace(self, edition=edition, extra_modules=extra)


def _secret(home: Path) -> str:
    """A per-instance signing key, made once and kept in the home folder (0600)."""
    path = home / "secret.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def read_instance(home: Path) -> dict[str, object]:
    path = home / "peyvand.json"
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    return {}


def write_instance(home: Path, modules: tuple[str, ...]) -> None:
    """The add-on modules. The edition is not here any more: it is stored in the database."""
    home.mkdir(parents=True, exist_ok=True)
    data = read_instance(home) | {"modules": list(modules)}
    data.pop("edition", None)
    (home / "peyvand.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def _int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ValueError(f"{name} must be a positive number of bytes, not {value!r}")
    return int(value)


def _edition(env: dict[str, str], inst: dict[str, object], url: str, strict: bool) -> str:
    """The database's stored edition; before ``peyvand init`` stored one, PEYVAND_EDITION (then
    an older instance file's). An explicit PEYVAND_EDITION that disagrees with the database is
    refused when ``strict``: running under it would hide (or half-load) the modules' data."""
    from kernel.editions import mismatch, stored_edition

    given = env.get("PEYVAND_EDITION", "").strip()
    stored = stored_edition(url)
    if stored is None:
        return given or str(inst.get("edition", DEFAULT_EDITION))
    if strict and given and given != stored:
        from kernel.errors import ModuleError

        raise ModuleError(mismatch(given, stored))
    return stored


def from_env(environ: dict[str, str] | None = None, *, strict: bool = True) -> Config:
    """``strict=False`` for the commands that change or list the edition: they must work while
    PEYVAND_EDITION disagrees with the database, since they are how the disagreement ends."""
    env = dict(os.environ if environ is None else environ)
    home = Path(env.get("PEYVAND_HOME", "var")).resolve()
    url = env.get("PEYVAND_DATABASE_URL") or f"sqlite:///{home / 'peyvand.sqlite3'}"
    home.mkdir(parents=True, exist_ok=True)  # the stored edition is read from SQLite in it
    inst = read_instance(home)
    modules = inst.get("modules", [])
    return Config(
        home=home,
        database_url=url,
        edition=_edition(env, inst, url, strict),
        extra_modules=tuple(str(m) for m in modules) if isinstance(modules, list) else (),
        secret_key=env.get("PEYVAND_SECRET_KEY") or _secret(home),
        default_area_code=env.get("PEYVAND_AREA_CODE", "21"),
        timezone=env.get("PEYVAND_TIMEZONE", "Asia/Tehran"),
        https_only_cookies=env.get("PEYVAND_HTTPS", "") == "1",
        max_upload_bytes=_int(env, "PEYVAND_MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        max_body_bytes=_int(env, "PEYVAND_MAX_BODY_BYTES", 2 * 1024 * 1024),
        run_scheduler=env.get("PEYVAND_SCHEDULER", "1") == "1",
        smtp_host=env.get("PEYVAND_SMTP_HOST", ""),
        smtp_port=int(env.get("PEYVAND_SMTP_PORT", "25") or 25),
        smtp_from=env.get("PEYVAND_SMTP_FROM", ""),
        smtp_user=env.get("PEYVAND_SMTP_USER", ""),
        smtp_password=env.get("PEYVAND_SMTP_PASSWORD", ""),
        smtp_starttls=env.get("PEYVAND_SMTP_STARTTLS", "") == "1",
        public_url=env.get("PEYVAND_PUBLIC_URL", "").rstrip("/"),
    )
