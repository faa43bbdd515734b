"""A throw-away PostgreSQL server for the test suite.

``PostgresServer`` runs ``initdb`` into a fresh temporary directory, starts ``postgres`` on
127.0.0.1 (a free port, unix socket inside the temporary directory, trust authentication,
``fsync=off``), creates the database ``evaluator_test`` and, on ``stop()``, shuts the server
down (``pg_ctl stop -m fast``) and deletes the directory.

PostgreSQL refuses to run as root.  When the tests run as root the server runs as an
unprivileged system user instead: ``postgres`` if it exists, otherwise ``evaltest`` (created with
``useradd --system``).  The privilege drop is done by ``subprocess`` itself (``user=``/``group=``/
``extra_groups=[]``: the same as ``setpriv --reuid --regid --clear-groups``), so no PAM session or
extra tool is involved.

Environment:

* ``PG_BIN`` -- directory holding ``initdb``/``pg_ctl``/``postgres``; when set, nothing else is
  searched (point it at an empty directory to simulate missing binaries).
* ``EVALUATOR_TEST_PG_NO_INSTALL=1`` -- never try to ``apt-get install postgresql``.
* ``EVALUATOR_TEST_PG_START_TIMEOUT`` -- seconds to wait for the server (default 60).
* ``EVALUATOR_TEST_PG_TMPDIR`` -- parent of the temporary directory (default: ``/dev/shm`` when it
  is a tmpfs with >= 1 GiB free, else ``/tmp``).
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

try:
    import pwd
except ImportError:  # Windows: no POSIX accounts; the server (if any) runs as the current user
    pwd = None  # type: ignore[assignment]


def _euid() -> int:
    """The effective user id (-1 where there is none: Windows, which has no root either)."""
    return os.geteuid() if hasattr(os, "geteuid") else -1


def _current_account():
    """This process's account: ``pwd``'s entry, or on Windows an entry with the login name only."""
    if pwd is not None:
        return pwd.getpwuid(os.geteuid())
    import getpass
    from types import SimpleNamespace

    return SimpleNamespace(pw_name=getpass.getuser(), pw_uid=-1, pw_gid=-1, pw_dir=str(Path.home()))

__all__ = [
    "PostgresError",
    "PostgresServer",
    "ExistingPostgres",
    "find_pg_bin",
    "ensure_postgres_installed",
]

SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
DEFAULT_DATABASE = "evaluator_test"
UNPRIVILEGED_USERS = ("postgres", "evaltest")

_NO_INSTALL_ENV = "EVALUATOR_TEST_PG_NO_INSTALL"
_APT_UPDATE_TIMEOUT = 300
_APT_INSTALL_TIMEOUT = 600


class PostgresError(RuntimeError):
    """The test server could not be set up, started or used."""


# --------------------------------------------------------------------------- binaries


def _has_server_binaries(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) and (directory / name).is_file() for name in SERVER_BINARIES)


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)


def _pg_bin_candidates() -> list[Path]:
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(Path(out))
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        candidates.append(Path(found))
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
        candidates.append(Path(initdb).resolve().parent)  # /usr/local/bin/initdb -> .../15/bin/initdb
    return candidates


def find_pg_bin() -> Path | None:
    """Directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or ``None``.

    Checked in order: ``$PG_BIN`` (exclusively, when set), ``pg_config --bindir``,
    ``/usr/lib/postgresql/*/bin`` (newest version first), then ``PATH``.
    """
    forced = os.environ.get("PG_BIN")
    if forced:
        directory = Path(forced)
        return directory if _has_server_binaries(directory) else None
    for directory in _pg_bin_candidates():
        if _has_server_binaries(directory):
            return directory
    return None


def _missing_reason() -> str:
    forced = os.environ.get("PG_BIN")
    if forced:
        return f"PG_BIN={forced} does not contain {'/'.join(SERVER_BINARIES)}"
    return (
        f"PostgreSQL server binaries ({'/'.join(SERVER_BINARIES)}) not found "
        "(searched PG_BIN, pg_config --bindir, /usr/lib/postgresql/*/bin, PATH)"
    )


def ensure_postgres_installed() -> tuple[bool, str]:
    """Make sure the server binaries exist, installing ``postgresql`` with apt when root.

    Returns ``(available, reason)``; ``reason`` is one line explaining why not, or ``""``.
    """
    if find_pg_bin() is not None:
        return True, ""
    missing = _missing_reason()
    if os.environ.get("PG_BIN"):
        return False, missing  # pinned: installing a package would not change the answer
    if os.environ.get(_NO_INSTALL_ENV, "").strip().lower() in {"1", "true", "yes"}:
        return False, f"{missing}; not installing because {_NO_INSTALL_ENV} is set"
    if _euid() != 0:
        return False, f"{missing}; not root, so not installing (install the 'postgresql' package or set PG_BIN)"
    apt = shutil.which("apt-get")
    if apt is None:
        return False, f"{missing}; no apt-get to install it with (install PostgreSQL or set PG_BIN)"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    steps = [
        ([apt, "update", "-qq"], _APT_UPDATE_TIMEOUT),
        ([apt, "install", "-y", "-qq", "--no-install-recommends", "postgresql"], _APT_INSTALL_TIMEOUT),
    ]
    for cmd, timeout in steps:
        try:
            proc = subprocess.run(
                cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return False, f"{missing} and could not be installed: 'apt-get {' '.join(cmd[1:])}' timed out after {timeout}s"
        except OSError as exc:
            return False, f"{missing} and could not be installed: {exc}"
        if proc.returncode != 0:
            lines = [ln.strip() for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
            last = lines[-1] if lines else f"exit status {proc.returncode}"
            return False, f"{missing} and could not be installed: 'apt-get {' '.join(cmd[1:])}' failed: {last}"
    if find_pg_bin() is None:
        return False, f"{missing}, even after 'apt-get install postgresql'"
    return True, ""


# --------------------------------------------------------------------------- users


def _ensure_unprivileged_user() -> pwd.struct_passwd:
    """The system user that runs the server when we are root (created if needed)."""
    for name in UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    name = UNPRIVILEGED_USERS[-1]
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    proc = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise PostgresError(
            f"running as root, and PostgreSQL refuses to run as root; could not create system user "
            f"{name!r}: {(proc.stderr or proc.stdout).strip() or proc.returncode}"
        ) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _parent_dir() -> str:
    """Where the server's temporary directory goes.

    ``$EVALUATOR_TEST_PG_TMPDIR`` if set; else ``/dev/shm`` when it is a roomy tmpfs (CREATE
    DATABASE there takes ~15 ms instead of up to ~250 ms on a busy disk); else ``/tmp`` (as root:
    the server user must be able to traverse it) or the usual temp dir.  Kept short, because unix
    socket paths are limited to ~107 bytes.
    """
    forced = os.environ.get("EVALUATOR_TEST_PG_TMPDIR")
    if forced:
        return forced
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= 1 << 30:
            return shm
    except OSError:
        pass
    if _euid() == 0 or len(tempfile.gettempdir()) > 60:
        return "/tmp"
    return tempfile.gettempdir()


_DIR_PREFIX = "evaluator-pg-"
_OWNER_FILE = "owner.pid"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _reap_stale_dirs(parent: str) -> None:
    """Delete server directories left by test runs that were killed (SIGKILL) mid-way.

    Only directories with our owner file, whose owning process is gone and whose postmaster is no
    longer running (it gets SIGINT when its parent dies, see ``_die_with_parent``).
    """
    try:
        entries = list(Path(parent).glob(_DIR_PREFIX + "*"))
    except OSError:
        return
    for base in entries:
        owner = _read_pid(base / _OWNER_FILE)
        if owner is None or _pid_alive(owner):
            continue
        postmaster = _read_pid(base / "data" / "postmaster.pid")
        if postmaster is not None and _pid_alive(postmaster):
            continue
        shutil.rmtree(base, ignore_errors=True)


def _die_with_parent_hook():
    """``preexec_fn`` making postgres get SIGINT (fast shutdown) if the test process dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def _hook() -> None:  # runs in the child after the uid switch (which would clear the setting)
        prctl(pr_set_pdeathsig, int(signal.SIGINT), 0, 0, 0)
        if os.getppid() != parent:  # parent already gone
            os._exit(1)

    return _hook


def _clean_env(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(LC_ALL="C", LANG="C", HOME=home)
    env.pop("LANGUAGE", None)
    return env


# --------------------------------------------------------------------------- admin helpers


class _Admin:
    """CREATE/DROP DATABASE on a server reachable as ``host``/``port``/``user``."""

    host: str
    port: int
    user: str
    password: str | None = None
    admin_db: str = "postgres"

    def _connect(self, dbname: str | None = None, timeout: float = 10) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.admin_db,
            connect_timeout=max(1, int(timeout)),
            autocommit=True,
        )

    def url_for(self, database: str) -> str:
        """SQLAlchemy URL (``postgresql+psycopg://...``) of ``database`` on this server."""
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql+psycopg",
            username=self.user,
            password=self.password,
            host=self.host,
            port=self.port,
            database=database,
        ).render_as_string(hide_password=False)

    def create_database(self, name: str, template: str = "template0") -> str:
        """Create database ``name`` and return its URL: empty (from ``template0``, UTF8), or a copy of
        the database ``template`` (nobody may be connected to it: its connections are ended first)."""
        with self._connect() as conn:
            if template != "template0":
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (template,),
                )
            stmt = sql.SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                sql.Identifier(name), sql.Identifier(template))
            conn.execute(stmt)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Terminate every connection to ``name`` and drop it (no error if it does not exist)."""
        with self._connect() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            stmt = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
            if conn.info.server_version >= 130000:
                stmt = stmt + sql.SQL(" WITH (FORCE)")
            conn.execute(stmt)


class ExistingPostgres(_Admin):
    """A server somebody else runs (``EVALUATOR_TEST_PG_URL``); only creates/drops databases."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if not parsed.drivername.startswith("postgresql"):
            raise PostgresError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
        self.host = parsed.host or "127.0.0.1"
        self.port = parsed.port or 5432
        self.user = parsed.username or _current_account().pw_name
        self.password = parsed.password
        self.admin_db = parsed.database or "postgres"
        self.url = self.url_for(self.admin_db)

    def check(self) -> None:
        try:
            with self._connect(timeout=5) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise PostgresError(f"cannot connect to {self.url_for(self.admin_db)}: {first}") from exc

    def start(self) -> ExistingPostgres:
        self.check()
        return self

    def stop(self) -> None:
        pass

    def __enter__(self) -> ExistingPostgres:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# --------------------------------------------------------------------------- the server


class PostgresServer(_Admin):
    """A private PostgreSQL server in a temporary directory (see the module docstring)."""

    host = "127.0.0.1"

    def __init__(self, pg_bin: Path | str | None = None, *, database: str = DEFAULT_DATABASE,
                 start_timeout: float | None = None) -> None:
        found = Path(pg_bin) if pg_bin else find_pg_bin()
        if found is None or not _has_server_binaries(found):
            raise PostgresError(_missing_reason())
        self.pg_bin: Path = found
        self.database = database
        self.start_timeout = start_timeout or float(os.environ.get("EVALUATOR_TEST_PG_START_TIMEOUT", "60"))
        self.port: int = 0
        self.url: str = ""
        self.base_dir: Path | None = None
        self.data_dir: Path | None = None
        self.socket_dir: Path | None = None
        self.log_file: Path | None = None
        self.startup_seconds: float = 0.0
        self._proc: subprocess.Popen | None = None
        self._lock = threading.RLock()  # re-entrant: the SIGTERM handler may stop() mid-start()
        self._atexit_registered = False
        if _euid() == 0:
            self._account: pwd.struct_passwd | None = None  # resolved in start()
        else:
            self._account = _current_account()
        self.user = self._account.pw_name if self._account else ""

    # -- running commands, as the unprivileged user when we are root

    def _as_user(self) -> dict[str, Any]:
        if _euid() != 0:
            return {}
        assert self._account is not None
        return {"user": self._account.pw_uid, "group": self._account.pw_gid, "extra_groups": []}

    def _env(self) -> dict[str, str]:
        assert self.base_dir is not None
        return _clean_env(str(self.base_dir))

    def _run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess:
        return subprocess.run(
            args,
            cwd=self.base_dir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **self._as_user(),
        )

    # -- lifecycle

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> PostgresServer:
        with self._lock:
            if self._proc is not None:
                return self
            began = time.monotonic()
            try:
                self._make_dirs()
                self._initdb()
                self._start_postgres()
                self.create_database(self.database)
            except BaseException:
                self._shutdown()
                raise
            self.url = self.url_for(self.database)
            self.startup_seconds = time.monotonic() - began
            if not self._atexit_registered:
                atexit.register(self.stop)
                self._atexit_registered = True
            return self

    def stop(self) -> None:
        with self._lock:
            self._shutdown()

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- steps

    def _make_dirs(self) -> None:
        if _euid() == 0:
            self._account = _ensure_unprivileged_user()
            self.user = self._account.pw_name
        parent = _parent_dir()
        _reap_stale_dirs(parent)
        base = Path(tempfile.mkdtemp(prefix=_DIR_PREFIX, dir=parent))
        self.base_dir = base
        (base / _OWNER_FILE).write_text(f"{os.getpid()}\n")
        self.data_dir = base / "data"
        self.socket_dir = base / "sock"
        self.log_file = base / "postgres.log"
        self.socket_dir.mkdir(mode=0o700)
        os.chmod(base, 0o755)
        if _euid() == 0:
            assert self._account is not None
            for path in (base, self.socket_dir):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)

    def _initdb(self) -> None:
        assert self.data_dir is not None
        cmd = [
            str(self.pg_bin / "initdb"),
            "--pgdata", str(self.data_dir),
            "--username", self.user,
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C",
            "--no-sync",
        ]
        try:
            proc = self._run(cmd, timeout=120)
        except subprocess.TimeoutExpired as exc:
            raise PostgresError("initdb timed out after 120s") from exc
        if proc.returncode != 0:
            raise PostgresError(
                f"initdb failed (exit {proc.returncode}):\n{_tail(proc.stdout + proc.stderr)}"
            )

    def _start_postgres(self) -> None:
        last_error: PostgresError | None = None
        for _attempt in range(3):  # another process may grab the port between probe and bind
            self.port = _free_port()
            try:
                self._spawn_and_wait()
                return
            except _PortTaken as exc:
                last_error = exc
        raise last_error or PostgresError("could not start PostgreSQL")

    def _spawn_and_wait(self) -> None:
        assert self.data_dir is not None and self.socket_dir is not None and self.log_file is not None
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
            "max_connections": "100",
            "shared_buffers": "64MB",
            "max_parallel_workers_per_gather": "0",  # containers often have a tiny /dev/shm
        }
        cmd = [str(self.pg_bin / "postgres"), "-D", str(self.data_dir)]
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        with open(self.log_file, "ab") as log:
            self._proc = subprocess.Popen(
                cmd,
                cwd=self.base_dir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C goes to pytest, which stops the server itself
                preexec_fn=_die_with_parent_hook(),  # ... and a SIGKILLed pytest still takes it down
                **self._as_user(),
            )
        deadline = time.monotonic() + self.start_timeout
        last_exc: Exception | None = None
        while True:
            code = self._proc.poll()
            if code is not None:
                self._proc = None
                log_text = self.log_tail()
                if "could not bind" in log_text or "could not create any TCP/IP sockets" in log_text:
                    raise _PortTaken(f"port {self.port} was taken:\n{log_text}")
                raise PostgresError(
                    f"postgres exited with status {code} during startup; log tail:\n{log_text}"
                )
            try:
                with self._connect(timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                last_exc = exc
            if time.monotonic() > deadline:
                raise PostgresError(
                    f"PostgreSQL did not accept connections on 127.0.0.1:{self.port} within "
                    f"{self.start_timeout:.0f}s (last error: {str(last_exc).strip()}); log tail:\n{self.log_tail()}"
                )
            time.sleep(0.02)

    def _shutdown(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            stopped = False
            if self.data_dir is not None:
                try:
                    result = self._run(
                        [str(self.pg_bin / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "30"],
                        timeout=40,
                    )
                    stopped = result.returncode == 0
                except (OSError, subprocess.SubprocessError):
                    stopped = False
            try:
                proc.wait(timeout=10 if stopped else 0.1)
            except subprocess.TimeoutExpired:
                pass
            # (Windows has neither SIGQUIT nor SIGKILL: terminate twice)
            for sig, wait in ((signal.SIGINT, 15), (getattr(signal, "SIGQUIT", signal.SIGTERM), 10),
                              (getattr(signal, "SIGKILL", signal.SIGTERM), 10)):
                if proc.poll() is not None:
                    break
                try:
                    proc.send_signal(sig)
                    proc.wait(timeout=wait)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        base, self.base_dir = self.base_dir, None
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)

    # -- diagnostics

    def log_tail(self, lines: int = 25) -> str:
        if self.log_file is None or not self.log_file.exists():
            return "(no server log)"
        try:
            return _tail(self.log_file.read_text(errors="replace"), lines)
        except OSError as exc:
            return f"(could not read {self.log_file}: {exc})"


class _PortTaken(PostgresError):
    pass


def _tail(text: str, lines: int = 25) -> str:
    kept = [ln for ln in text.splitlines() if ln.strip()][-lines:]
    return "\n".join(kept) if kept else "(empty)"
