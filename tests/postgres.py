"""A throwaway PostgreSQL server for the tests and benchmarks (no mock: the real server).

It runs Debian's binaries (the ``postgresql`` package, which ``scripts/ci_system_deps.sh``
installs) from a temporary folder on a free loopback port, with password (SCRAM) authentication
so wrong credentials are really refused, and ``fsync=off`` (a test server: speed over
durability). As root, the server runs as the ``postgres`` user (PostgreSQL refuses to run as
root). :func:`unavailable_reason` says why none can be started here (tests skip with it).
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["TempPostgres", "find_bin_dir", "unavailable_reason"]

USER = "factaudit"


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(re.sub(r"\D", "", p.parts[-3]) or 0),
    )
    return versions[-1].parent if versions else None


def _run_as() -> dict[str, Any]:
    """subprocess arguments to run the server as a non-root user (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return {}
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        return {"user": 65534, "group": 65534}  # nobody
    return {"user": pw.pw_uid, "group": pw.pw_gid}


def unavailable_reason() -> str | None:
    """Why no PostgreSQL can be started here, or None when one can."""
    if find_bin_dir() is None:
        return (
            "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package "
            "(scripts/ci_system_deps.sh does)"
        )
    try:
        import psycopg  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        return "psycopg / SQLAlchemy not installed: pip install -e '.[postgres]'"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class TempPostgres:
    """``with TempPostgres() as pg: pg.url`` — a server for the block; :meth:`new_database`
    gives each test its own empty database."""

    def __init__(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError(unavailable_reason() or "no PostgreSQL")
        self.bin_dir = bin_dir
        self.password = secrets.token_hex(12)
        self.port = _free_port()
        self.base = Path(tempfile.mkdtemp(prefix="factaudit-pg-"))
        self.data = self.base / "data"
        self._as = _run_as()

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, database: str, *, password: str | None = None) -> str:
        pw = self.password if password is None else password
        return f"postgresql://{USER}:{pw}@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> None:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=120, cwd=self.base, **self._as
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> TempPostgres:
        pwfile = self.base / "pw"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self._as:
            os.chown(self.base, self._as["user"], self._as["group"])
            os.chown(pwfile, self._as["user"], self._as["group"])
        self._cmd(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=scram-sha-256",
            f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C", "--no-sync",
        )
        pwfile.unlink()
        opts = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._cmd(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.base / "log"),
            "-w", "-t", "60", "start",
        )
        return self

    def new_database(self) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True, timeout=60, cwd=self.base, **self._as,
            )
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
