"""A real JupyterHub on 127.0.0.1 for the workshop tests and benchmarks, and simulated learners.

``start_hub`` writes a hub configuration into a temporary folder that loads the shipped
``deploy/jupyterhub/jupyterhub_config.py`` and then swaps in what a test machine needs: the dummy
authenticator, ``SimpleLocalProcessSpawner`` (we run as root and learners are not system users;
homes under the temporary folder), free ports on 127.0.0.1 and an admin service token. It starts
``jupyterhub`` in its own process group and waits for the REST API. ``Hub.stop`` always tears
everything down: SIGTERM to the hub (which stops the single-user servers and the proxy), then
SIGKILL to every process group the hub started, found twice over: by walking /proc from the hub's
pid, and by a marker variable that every process of this hub carries in its environment (so a
server orphaned by a crash is still found). If the test process itself is killed, the hub gets
SIGTERM from the kernel (``PR_SET_PDEATHSIG``) and stops its servers.

``Learner`` is one simulated learner driving their own single-user server over HTTP only: create
the user, spawn, nbgitpuller pull (the Server-Sent Events stream of ``git-pull/api``), start a
kernel in the notebook's folder (``POST api/kernels``) and execute code over the kernel websocket
(websocket-client, JSON messaging protocol); ``browser()`` logs in through the hub's form instead,
for pages that need cookies. ``learner_morning`` is a whole learner's session, shared by
``tests/test_hub.py`` and ``benchmarks/bench_hub.py``.

Every request goes to 127.0.0.1; nothing here needs the network once configurable-http-proxy is
installed (``proxy_command`` installs it from the npm registry into ``.cache/chp`` on first use).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from npm_support import CACHE, npm_installed
from npm_support import Missing as NpmMissing

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin/ (not resolved: the symlink is the venv)
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
CHP_ARTEFACT = "node_modules/.bin/configurable-http-proxy"
CHP_LOCAL = CACHE / "chp" / CHP_ARTEFACT
# the folder nbgitpuller clones into, as for the real repository
CONTENT_NAME = "staffplus-workbook"
MARKER = "STAFFPLUS_HUB_TEST_MARKER"

HUB_START_TIMEOUT = 60
SPAWN_TIMEOUT = 90
PULL_TIMEOUT = 90
CELL_TIMEOUT = 120
HTTP_TIMEOUT = 30


class Missing(RuntimeError):
    """A prerequisite of the hub tests is not available on this machine (message says which)."""


# -- prerequisites ------------------------------------------------------------------------------------------
def missing_prerequisites() -> list[str]:
    """What this machine lacks to run a real hub; empty when everything is there."""
    problems = []
    if not Path("/proc/self/status").exists():
        problems.append("needs Linux /proc (process memory and teardown)")
    for name in ("jupyterhub", "jupyterhub-singleuser"):
        if not (BIN / name).exists():
            problems.append(f"{BIN / name} is missing: pip install -e '.[test]'")
    for module in ("nbgitpuller", "websocket", "requests"):
        try:
            __import__(module)
        except ImportError:
            problems.append(f"python module {module!r} is missing: pip install -e '.[test]'")
    if shutil.which("git") is None:
        problems.append("git is not on PATH (nbgitpuller and the content repository need it)")
    if not (shutil.which("configurable-http-proxy") or CHP_LOCAL.exists() or shutil.which("npm")):
        problems.append("configurable-http-proxy is not on PATH and npm is not there to install it")
    return problems


def proxy_command() -> str:
    """configurable-http-proxy from PATH, else from ``.cache/chp`` (npm-installed once)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    try:
        return str(npm_installed("chp", "configurable-http-proxy", CHP_ARTEFACT))
    except NpmMissing as exc:
        raise Missing(str(exc)) from exc


# Ports handed out here: a process binds its port seconds after we pick it, so never pick one twice.
_GIVEN: set[int] = set()
_GIVEN_LOCK = threading.Lock()


def _quiet_range() -> range:
    """Ports just below the kernel's ephemeral range (``ip_local_port_range``).

    A port picked with ``bind(0)`` comes from the ephemeral range, and the process that will listen on
    it binds it seconds later; meanwhile any outgoing connection on this machine may be given that
    very port as its local end, and the server then dies with "address already in use". Outgoing
    connections never get a port below the range, so picking there leaves only real listeners to avoid.
    """
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return range(max(1024, low - 12000), low)


def quiet_port() -> int:
    """A free TCP port on 127.0.0.1 outside the ephemeral range, never the same one twice."""
    import random

    ports = _quiet_range()
    for _ in range(1000):
        port = random.choice(ports) if len(ports) >= 1000 else 0
        with _GIVEN_LOCK:
            if port in _GIVEN:
                continue
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                port = s.getsockname()[1]
            _GIVEN.add(port)
            return port
    raise RuntimeError("no free TCP port found on 127.0.0.1")


def free_ports(n: int) -> list[int]:
    """``n`` distinct free TCP ports on 127.0.0.1 (see ``quiet_port``)."""
    return [quiet_port() for _ in range(n)]


# -- processes ----------------------------------------------------------------------------------------------
def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return None
    # the command name may hold spaces and parentheses: fields start after the last ')'
    return int(stat[stat.rindex(b")") + 2 :].split()[1])


def _all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def descendants(root_pid: int) -> list[int]:
    """Every live process below ``root_pid`` (children, grandchildren, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        parent = _ppid(pid)
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    out, stack = [], [root_pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


def marked_pids(token: str) -> list[int]:
    """Processes whose environment carries this hub's marker (survives re-parenting to init)."""
    needle = f"{MARKER}={token}".encode()
    out = []
    for pid in _all_pids():
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                if needle in fh.read().split(b"\0"):
                    out.append(pid)
        except OSError:
            continue
    return out


def rss_kib(pid: int) -> int:
    """Resident set size of ``pid`` in KiB (``VmRSS`` from /proc/<pid>/status)."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise ProcessLookupError(pid)


def cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [p.decode(errors="replace") for p in fh.read().split(b"\0") if p]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :].split()[0] != b"Z"  # a zombie is already dead


def kill_all(pids: list[int], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to each process's group (never our own) and to the process itself."""
    own = os.getpgid(0)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            pgid = os.getpgid(pid)
            if pgid != own:
                os.killpg(pgid, sig)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


# -- the content repository ---------------------------------------------------------------------------------
def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=staffplus-test",
            "-c",
            "user.email=test@staffplus.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{done.stderr}")
    return done.stdout


def make_content_repo(parent: Path) -> Path:
    """A git repository laid out like ours (``workbooks/`` and ``.gitignore``), one commit on main."""
    repo = parent / CONTENT_NAME
    (repo / "workbooks").mkdir(parents=True)
    for nb in sorted((ROOT / "workbooks").glob("*.ipynb")):
        shutil.copy2(nb, repo / "workbooks" / nb.name)
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "workbooks for the workshop", cwd=repo)
    return repo


def commit_update(repo: Path, notebook: str, marker: str) -> None:
    """Instructor pushes a fix: append a markdown cell holding ``marker`` to ``notebook``, commit."""
    path = repo / notebook
    nb = json.loads(path.read_text("utf-8"))
    nb["cells"].append(
        {
            "cell_type": "markdown",
            "id": uuid.uuid4().hex[:8],
            "metadata": {},
            "source": [f"**Workshop update:** {marker}"],
        }
    )
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
    git("commit", "-q", "-am", f"update {notebook}", cwd=repo)


# -- the hub ------------------------------------------------------------------------------------------------
@dataclass
class Hub:
    folder: Path
    url: str  # the public URL (through configurable-http-proxy)
    token: str  # admin service token
    proc: subprocess.Popen[bytes]
    marker: str
    log_path: Path
    homes: Path
    shared: Path
    runtime: Path  # JUPYTER_RUNTIME_DIR/<user>: connection files and kernel sockets
    _local: threading.local = field(default_factory=threading.local)  # one HTTP session per thread
    _sessions: list[Any] = field(default_factory=list)

    @property
    def api(self) -> str:
        return f"{self.url}/hub/api"

    def http(self) -> Any:
        """This thread's admin session (requests sessions are not meant to be shared by threads)."""
        import requests

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["Authorization"] = f"token {self.token}"
            session.trust_env = False  # never route 127.0.0.1 through a proxy from the environment
            self._sessions.append(session)
        return session

    def request(self, method: str, path: str, expect: tuple[int, ...] = (200,), **kw: Any) -> Any:
        kw.setdefault("timeout", HTTP_TIMEOUT)
        r = self.http().request(method, self.api + path, **kw)
        if r.status_code not in expect:
            raise AssertionError(
                f"{method} {path}: HTTP {r.status_code} {r.text[:500]}\n{self.log_tail()}"
            )
        return r

    def user_token(self, user: str, note: str = "workshop test") -> str:
        """A new API token for ``user`` (the user's own scopes: their server, their files)."""
        r = self.request(
            "POST",
            f"/users/{quote(user)}/tokens",
            expect=(200, 201),
            json={"note": note, "expires_in": 3600},
        )
        return r.json()["token"]

    def learner(self, user: str) -> Learner:
        """A ``Learner`` for an existing user, with a fresh token."""
        return Learner(self, user, self.user_token(user))

    def stop_server(self, user: str, timeout: float = 60) -> None:
        self.request("DELETE", f"/users/{quote(user)}/server", expect=(202, 204))
        deadline = time.monotonic() + timeout
        while (self.request("GET", f"/users/{quote(user)}").json().get("servers") or {}).get(""):
            if time.monotonic() > deadline:
                raise AssertionError(f"{user}: server still running {timeout:g} s after stop")
            time.sleep(0.25)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "--- hub log (tail) ---\n" + "\n".join(text[-lines:])

    def processes(self) -> list[int]:
        return sorted(set(descendants(self.proc.pid)) | set(marked_pids(self.marker)))

    def server_pids(self, user: str) -> list[int]:
        """The user's single-user server and everything below it (their kernels)."""
        home = str(self.homes / user)
        for pid in descendants(self.proc.pid):
            if "jupyterhub-singleuser" in " ".join(cmdline(pid)):
                try:
                    if os.readlink(f"/proc/{pid}/cwd") == home:
                        return [pid, *descendants(pid)]
                except OSError:
                    continue
        return []

    def stop(self) -> None:
        """Stop the hub, its proxy, every single-user server and kernel. Safe to call twice."""
        for session in self._sessions:
            session.close()
        self._sessions.clear()
        tracked = self.processes() + [self.proc.pid]
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # the hub cleans up servers on SIGTERM
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=20)
        # whatever is left (a hung server, a kernel, an orphan): SIGKILL its whole group
        for _ in range(50):
            left = [p for p in set(tracked) | set(marked_pids(self.marker)) if _alive(p)]
            if not left:
                break
            kill_all(left)
            time.sleep(0.1)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        shutil.rmtree(self.runtime, ignore_errors=True)


def _config(
    folder: Path, ports: list[int], proxy: str, token: str, marker: str, homes: Path, runtime: Path
) -> str:
    public, hub_port, proxy_api = ports
    return f"""# generated by tests/hub_support.py: the shipped example, then test-machine overrides
c = get_config()  # noqa: F821
load_subconfig({str(DEPLOY_CONFIG)!r})  # noqa: F821

c.JupyterHub.bind_url = "http://127.0.0.1:{public}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(32)!r}
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = "sqlite:///" + {str(folder / "jupyterhub.sqlite")!r}
c.JupyterHub.cookie_secret = bytes.fromhex({secrets.token_hex(32)!r})
c.JupyterHub.pid_file = {str(folder / "jupyterhub.pid")!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.log_level = "INFO"

# learners are not system users and we run as root: dummy login, local processes, temp homes
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + "/{{username}}"
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
# Kernels talk over unix sockets, not 127.0.0.1 ports: ten servers of one OS user each picking
# "free" random kernel ports race each other (a kernel then dies with "Address already in use").
# A short runtime dir per user keeps the socket paths under the 107-byte limit.
c.Spawner.args = ["--allow-root", "--KernelManager.transport=ipc",
                  # only 127.0.0.1: JupyterLab never asks PyPI for updates or fetches news here
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url="]
c.Spawner.environment.update({{"JUPYTER_RUNTIME_DIR": lambda spawner: {str(runtime)!r} + "/" + spawner.user.name}})
c.Spawner.ip = "127.0.0.1"
# Each server's port comes from below the ephemeral range (see hub_support.quiet_port): ten servers
# starting at once must not lose their port to some outgoing connection before they bind it.
import sys  # noqa: E402
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from hub_support import quiet_port  # noqa: E402


def _quiet_port(spawner):
    spawner.port = quiet_port()


c.Spawner.pre_spawn_hook = _quiet_port
c.Spawner.start_timeout = {SPAWN_TIMEOUT}
c.Spawner.http_timeout = {SPAWN_TIMEOUT}
# (the example's mem_limit stays: a local process spawner only passes it on as MEM_LIMIT)
# every process of this hub carries the marker, so teardown finds even orphans
c.Spawner.environment.update({{{MARKER!r}: {marker!r}}})

c.JupyterHub.services = [{{"name": "staffplus-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "staffplus-test-admin",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
    "services": ["staffplus-test"],
}}]
"""


def _die_with_parent() -> None:
    """In the hub's child process: get SIGTERM if the test process dies (even by SIGKILL).

    Linux ties this to the thread that started the hub: call ``start_hub`` from the main thread.
    """
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_hub(folder: Path, *, proxy: str | None = None) -> Hub:
    """Start a JupyterHub in ``folder`` on free 127.0.0.1 ports; returns once its API answers.

    The caller must call ``Hub.stop()`` (a pytest finalizer); on a failed start it is called here.
    """
    import requests

    folder.mkdir(parents=True, exist_ok=True)
    homes, shared = folder / "home", folder / "shared"
    homes.mkdir(exist_ok=True)
    shared.mkdir(exist_ok=True)
    os.chmod(shared, 0o1733)  # learners may drop files in, not list or delete others' (as deployed)
    token, marker = secrets.token_hex(32), secrets.token_hex(8)
    ports = free_ports(3)
    config = folder / "jupyterhub_config.py"
    # short on purpose (unix socket paths must stay under 107 bytes); stop() removes it
    runtime = Path("/tmp") / f"spk-{marker}"
    config.write_text(
        _config(folder, ports, proxy or proxy_command(), token, marker, homes, runtime), "utf-8"
    )
    # nothing of this test run leaks into the hub: no work dir, no hub variables, no HTTP proxy
    dropped = ("STAFFPLUS_", "JUPYTERHUB_", "JPY_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(dropped)}
    env.update({MARKER: marker, "PYTHONUNBUFFERED": "1"})
    log_path = folder / "jupyterhub.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(config)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: teardown kills the group
            preexec_fn=_die_with_parent,
        )
    hub = Hub(
        folder,
        f"http://127.0.0.1:{ports[0]}",
        token,
        proc,
        marker,
        log_path,
        homes,
        shared,
        runtime,
    )
    deadline = time.monotonic() + HUB_START_TIMEOUT
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {proc.returncode}\n{hub.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                r = requests.get(f"{hub.api}/", timeout=2)
                if r.status_code == 200 and "version" in r.json():
                    return hub
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"jupyterhub did not answer in {HUB_START_TIMEOUT} s\n{hub.log_tail()}"
                )
            time.sleep(0.2)
    except BaseException:
        hub.stop()
        raise


# -- kernels over the websocket -----------------------------------------------------------------------------
@dataclass
class Execution:
    code: str
    status: str = ""
    stdout: str = ""
    stderr: str = ""
    error: str = ""
    outputs: list[dict[str, Any]] = field(default_factory=list)

    def check(self, where: str = "") -> Execution:
        if self.status != "ok" or self.error:
            raise AssertionError(
                f"{where} failed ({self.status}):\n{self.code}\n{self.error}\n{self.stderr}"
            )
        return self


def _decode(frame: str | bytes) -> dict[str, Any]:
    """One kernel message from the websocket; binary frames carry buffers after a JSON part."""
    if isinstance(frame, str):
        return json.loads(frame)
    nbufs = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(nbufs)]
    end = offsets[1] if nbufs > 1 else len(frame)
    return json.loads(frame[offsets[0] : end])


class KernelSocket:
    """Execute code in a running kernel through ``api/kernels/<id>/channels`` (JSON protocol)."""

    def __init__(self, url: str, token: str, username: str):
        import websocket

        self.username = username
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            url,
            header=[f"Authorization: token {token}"],
            timeout=CELL_TIMEOUT,
            suppress_origin=True,
            http_no_proxy=["127.0.0.1"],
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()

    def _send(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.username,
                        "session": self.session,
                        "msg_type": msg_type,
                        "version": "5.3",
                        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": content,
                    "channel": channel,
                    "buffers": [],
                }
            )
        )
        return msg_id

    def _replies(self, msg_id: str, timeout: float) -> Iterator[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no reply from the kernel in {timeout:g} s")
            self.ws.settimeout(left)
            msg = _decode(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                yield msg

    def wait_ready(self, timeout: float = 60) -> None:
        """kernel_info until it answers (a freshly started kernel may still be importing)."""
        msg_id = self._send("kernel_info_request", {})
        for msg in self._replies(msg_id, timeout):
            if msg["msg_type"] == "kernel_info_reply":
                return

    def execute(self, code: str, timeout: float = CELL_TIMEOUT) -> Execution:
        msg_id = self._send(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        out = Execution(code)
        replied = idle = False
        for msg in self._replies(msg_id, timeout):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "execute_reply":
                out.status, replied = content["status"], True
                if content["status"] == "error" and not out.error:
                    out.error = f"{content.get('ename')}: {content.get('evalue')}"
            elif kind == "stream":
                if content["name"] == "stdout":
                    out.stdout += content["text"]
                else:
                    out.stderr += content["text"]
            elif kind == "error":
                out.error = "\n".join(content.get("traceback", [])) or content.get("evalue", "")
            elif kind in ("display_data", "execute_result"):
                out.outputs.append(content)
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            if replied and idle:
                return out
        raise AssertionError("unreachable")  # pragma: no cover


# -- one learner --------------------------------------------------------------------------------------------
@dataclass
class Learner:
    hub: Hub
    name: str
    token: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    _http: Any = None

    @property
    def base(self) -> str:
        return f"{self.hub.url}/user/{quote(self.name)}"

    def http(self) -> Any:
        import requests

        if self._http is None:
            self._http = requests.Session()
            self._http.trust_env = False
            self._http.headers["Authorization"] = f"token {self.token}"
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    @contextlib.contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Time ``step``; a failure names the learner, the step, its duration and the hub's log."""
        t0 = time.perf_counter()
        try:
            yield
        except Exception as exc:
            raise AssertionError(
                f"{self.name}: step {step!r} failed after {time.perf_counter() - t0:.1f} s: "
                f"{type(exc).__name__}: {exc}\n{self.hub.log_tail(25)}"
            ) from exc
        self.timings[step] = time.perf_counter() - t0

    def create_and_spawn(self) -> None:
        """Create the user, get them a token and start their server through the hub's REST API."""
        hub = self.hub
        hub.request("POST", f"/users/{quote(self.name)}", expect=(201,))
        self.token = hub.user_token(self.name)
        hub.request("POST", f"/users/{quote(self.name)}/server", expect=(201, 202))
        deadline = time.monotonic() + SPAWN_TIMEOUT
        while True:
            user = hub.request("GET", f"/users/{quote(self.name)}").json()
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            if server is None and not user.get("pending"):
                raise AssertionError(
                    f"{self.name}: the server stopped while spawning\n{hub.log_tail()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name}: server not ready in {SPAWN_TIMEOUT} s\n{hub.log_tail()}"
                )
            time.sleep(0.25)

    def browser(self) -> Any:
        """A cookie session logged in through the hub's login form, as a learner's browser is."""
        import requests

        web = requests.Session()
        web.trust_env = False
        page = web.get(f"{self.hub.url}/hub/login", timeout=HTTP_TIMEOUT)
        assert page.status_code == 200, f"{self.name}: login page HTTP {page.status_code}"
        r = web.post(
            f"{self.hub.url}/hub/login",
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
            data={"username": self.name, "password": "", "_xsrf": web.cookies.get("_xsrf", "")},
        )
        assert r.status_code == 302, f"{self.name}: login HTTP {r.status_code} {r.text[:300]}"
        return web

    def get(self, path: str, **kw: Any) -> Any:
        kw.setdefault("timeout", HTTP_TIMEOUT)
        return self.http().get(f"{self.base}/{path}", **kw)

    def pull(
        self, repo_url: str, branch: str = "main", targetpath: str = CONTENT_NAME
    ) -> list[dict[str, Any]]:
        """What the nbgitpuller link's page does: stream ``git-pull/api`` until ``finished``.

        Returns the events; raises with nbgitpuller's own output on ``error`` or a timeout.
        """
        query = urlencode(
            {"repo": repo_url, "branch": branch, "targetpath": targetpath}, quote_via=quote
        )
        events: list[dict[str, Any]] = []
        deadline = time.monotonic() + PULL_TIMEOUT
        with self.get(
            f"git-pull/api?{query}", stream=True, timeout=(HTTP_TIMEOUT, PULL_TIMEOUT)
        ) as r:
            assert r.status_code == 200, (
                f"{self.name}: git-pull/api HTTP {r.status_code}: {r.text[:300]}"
            )
            assert r.headers.get("content-type", "").startswith("text/event-stream")
            for line in r.iter_lines(decode_unicode=True):
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"{self.name}: nbgitpuller did not finish in {PULL_TIMEOUT} s"
                    )
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[5:].strip())
                events.append(event)
                if event.get("phase") == "finished":
                    return events
                if event.get("phase") == "error":
                    raise AssertionError(
                        f"{self.name}: nbgitpuller failed: {event.get('message')}\n"
                        f"{event.get('output', '')}"
                    )
        raise AssertionError(f"{self.name}: the pull stream ended before 'finished': {events[-3:]}")

    def contents(self, path: str) -> dict[str, Any]:
        r = self.get(f"api/contents/{quote(path)}")
        assert r.status_code == 200, f"{self.name}: contents {path}: HTTP {r.status_code}"
        return r.json()

    def save_notebook(self, path: str, nb: dict[str, Any]) -> None:
        r = self.http().put(
            f"{self.base}/api/contents/{quote(path)}",
            timeout=HTTP_TIMEOUT,
            json={"type": "notebook", "format": "json", "content": nb},
        )
        assert r.status_code in (200, 201), (
            f"{self.name}: save {path}: HTTP {r.status_code} {r.text[:300]}"
        )

    def start_kernel(self, notebook_path: str) -> tuple[str, KernelSocket]:
        """A python3 kernel whose cwd is the notebook's folder (as JupyterLab starts it)."""
        r = self.http().post(
            f"{self.base}/api/kernels",
            timeout=HTTP_TIMEOUT,
            json={"name": "python3", "path": notebook_path},
        )
        assert r.status_code == 201, (
            f"{self.name}: start kernel: HTTP {r.status_code} {r.text[:300]}"
        )
        kernel_id = r.json()["id"]
        ws_url = self.base.replace("http://", "ws://", 1) + f"/api/kernels/{kernel_id}/channels"
        sock = KernelSocket(ws_url, self.token, self.name)
        sock.wait_ready()
        return kernel_id, sock

    def kernel_pid(self) -> int:
        """Pid of this learner's (single) kernel process, found below their server in /proc."""
        for pid in self.hub.server_pids(self.name):
            if "ipykernel_launcher" in " ".join(cmdline(pid)):
                return pid
        raise AssertionError(f"{self.name}: no kernel process found")


def code_cells(nb: dict[str, Any]) -> list[str]:
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def in_parallel(fn: Callable[..., Any], args: list[tuple[Any, ...]]) -> list[Any]:
    """Run ``fn(*a)`` for every ``a`` at once in threads; re-raise the first failure, naming its args."""
    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        futures = [pool.submit(fn, *a) for a in args]
        out, errors = [], []
        for a, f in zip(args, futures):
            try:
                out.append(f.result(timeout=300))
            except Exception as exc:
                errors.append(f"{a[1] if len(a) > 1 else a}: {exc}")
    if errors:
        raise AssertionError(
            f"{len(errors)} of {len(args)} learners failed:\n" + "\n\n".join(errors)
        )
    return out


# -- a learner's workshop morning ---------------------------------------------------------------------------
SCENARIO = "payments-fraud"
NOTEBOOK = f"{CONTENT_NAME}/workbooks/01_payments_fraud.ipynb"
START_HERE = f"{CONTENT_NAME}/workbooks/00_start_here.ipynb"
NOTE = "My note: ask about the chargeback rate before choosing a threshold."


def _preamble(follow_config: bool) -> str:
    if follow_config:
        return "import os\nassert os.environ['STAFFPLUS_WORK_DIR'] == '~/staffplus-work'\n"
    # a hub configured without STAFFPLUS_WORK_DIR: work goes to ./staffplus-work next to the notebook
    return "import os\nos.environ.pop('STAFFPLUS_WORK_DIR', None)\n"


def _edit_and_submit(name: str, shared: Path) -> str:
    return f"""
import json, subprocess, sys
risk = wb.session.register.add(
    title="Chargebacks and lost good customers from false positives ({name})",
    category="business", likelihood=4, impact=4, owner="Risk operations",
    mitigation="Tiered pipeline: auto-block only high-confidence fraud; human review for the ambiguous band",
)
wb.session.changed()
assert wb.session.save_now(), wb.session.last_error
done = subprocess.run(
    [sys.executable, "-m", "staffplus_widgets", "submit", str(wb.session.path), "--to", {str(shared)!r},
     "--name", os.environ["JUPYTERHUB_USER"]],
    capture_output=True, text=True, timeout=60,
)
print(json.dumps({{"path": str(wb.session.path.resolve()), "cwd": os.getcwd(), "risk": risk.title,
                  "rc": done.returncode, "out": done.stdout, "err": done.stderr}}))
"""


def learner_morning(
    hub: Hub, name: str, repo_url: str, follow_config: bool = True
) -> dict[str, Any]:
    """One learner, over HTTP only: spawn, pull, run the fraud workbook, add a risk, submit, save notes.

    Returns the work file's path, the risk added, the submit outcome, the kernel's pid and per-step
    timings. ``follow_config=False`` simulates a hub without ``STAFFPLUS_WORK_DIR`` (work goes to
    ``./staffplus-work`` next to the notebook, inside the nbgitpuller clone).
    """
    me = Learner(hub, name)
    try:
        with me.timed("spawn"):
            me.create_and_spawn()
            # the shipped default URL pulls the workbooks and opens "Start here" (not followed)
            r = me.get("", allow_redirects=False)
            assert r.status_code in (301, 302), f"/ gave HTTP {r.status_code}"
            location = r.headers["location"]
            assert "/git-pull?" in location and f"urlpath=lab/tree/{START_HERE}" in location, (
                location
            )
        with me.timed("pull"):
            me.pull(repo_url)
            nb = me.contents(NOTEBOOK)["content"]
            assert nb["metadata"]["staffplus"]["scenario"] == SCENARIO
        with me.timed("kernel"):
            kernel_id, ks = me.start_kernel(NOTEBOOK)
        try:
            with me.timed("workbook"):
                ks.execute(_preamble(follow_config)).check("preamble")
                for i, code in enumerate(code_cells(nb)):
                    ks.execute(code).check(f"{NOTEBOOK} code cell {i}")
            with me.timed("submit"):
                done = ks.execute(_edit_and_submit(name, hub.shared)).check("edit and submit")
                report = json.loads(done.stdout.strip().splitlines()[-1])
                assert report["rc"] == 0, f"staffplus submit failed: {report['err']}"
        finally:
            ks.close()
        with me.timed("notes"):
            # the learner also keeps notes in the notebook itself and saves it (a tracked file)
            nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": NOTE})
            me.save_notebook(NOTEBOOK, nb)
            kernel_pid = me.kernel_pid()
        return {
            "name": name,
            "follow_config": follow_config,
            "kernel_id": kernel_id,
            "kernel_pid": kernel_pid,
            "timings": dict(me.timings),
            **report,
        }
    finally:
        me.close()
