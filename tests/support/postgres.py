"""A throw-away PostgreSQL server on loopback, for the gradebook tests.

Debian's ``postgresql`` package provides the server programs (``/usr/lib/postgresql/N/bin``).
When they are missing and the tests run as root with apt (as in CI), they are installed.
The server gets its own data folder, a free port on 127.0.0.1, no password (``trust``, for
loopback only) and no fsync; it is stopped and removed afterwards. PostgreSQL refuses to run as
root, so as root the server runs as the ``postgres`` user the package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class Unavailable(Exception):
    """No PostgreSQL server could be had: the reason."""


def server_programs() -> Path | None:
    """The newest installed server's bin/ folder (Debian layout), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def install() -> Path:
    """Install Debian's PostgreSQL server with apt (root only); its bin/ folder."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise Unavailable("PostgreSQL is not installed and apt-get (as root) is not available")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"],
    ):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise Unavailable(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    programs = server_programs()
    if programs is None:
        raise Unavailable("apt installed postgresql but no server programs were found")
    return programs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    programs: Path
    folder: Path
    port: int
    user: str | None  # who runs the server (None: whoever runs the tests)

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.programs / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise Unavailable(f"{program} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return done

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database; its URL for SQLAlchemy (and nbgrader's db_url)."""
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


@contextlib.contextmanager
def postgres_server() -> Iterator[Server]:
    """Start a server (installing it first if need be); stop and remove it afterwards."""
    programs = server_programs() or install()
    user = None
    folder = Path(tempfile.mkdtemp(prefix="gradebook-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError as error:
            raise Unavailable("running as root, and there is no postgres user") from error
        os.chown(folder, account.pw_uid, account.pw_gid)
        user = "postgres"
    server = Server(programs, folder, free_port(), user)
    data = folder / "data"
    try:
        server.run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
        server.run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {server.port} -k {folder} -c fsync=off",
            "start",
        )
        try:
            yield server
        finally:
            server.run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
