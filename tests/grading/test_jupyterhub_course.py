"""The course on a real JupyterHub: release, fetch, answer, submit, collect, grade, feedback.

JupyterHub (with configurable-http-proxy from npm) runs on loopback with the course's own
settings, ``autograder/grading/hub/jupyterhub_config.py``: the formgrader as the hub service
``two-presences``, the groups ``formgrade-two-presences`` and ``nbgrader-two-presences``, the
exchange, the course's code for the formgrader. Two users: ``instructor`` and ``student``.
For the test only, the hub uses JupyterHub's dummy authenticator and its simple local spawner
(every server runs as the user running the tests, in its own home folder); since all servers then
share one Unix account, each student's nbgrader is told its hub user name.

Every step goes over HTTP through the hub's proxy, as the web pages do: the instructor calls the
formgrader service's API, the student calls the Assignments extension and the contents API of
their own server. The student's grade and feedback page must show exactly the points the
fixture expects for that work.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import requests
from support.nbgrader_class import fill_in, load_class
from support.paths import ROOT, venv_env

from autograder.grading.downloads import copy_course

pytestmark = pytest.mark.slow

HUB_CONFIG = ROOT / "autograder" / "grading" / "hub" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE = "two-presences"
ASSIGNMENT = "fix_the_posts"

TEST_CONFIG = """
import sys
load_subconfig({hub_config!r})
# For the test only: anyone may log in, and every server runs as this account.
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
shared_config = c.Spawner.environment["JUPYTER_CONFIG_PATH"]
c.Spawner.environment["JUPYTER_CONFIG_PATH"] = {student_config!r} + ":" + shared_config
c.Spawner.environment["TEST_HUB_USER"] = lambda spawner: spawner.user.name
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.JupyterHub.db_url = "sqlite:///{top}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{top}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{top}/jupyterhub.pid"
# The test's driver: a service with a token that may manage users and their servers.
c.JupyterHub.services.append({{"name": "test-driver", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "test-driver", "services": ["test-driver"],
      "scopes": ["admin:users", "admin:servers", "tokens", "read:groups"]}}
)
if {as_root!r}:  # Jupyter servers refuse to run as root unless told
    c.Spawner.args = ["--allow-root"]
    c.JupyterHub.services[0]["command"].append("--allow-root")
"""

# Same Unix account for everyone (the test's spawner): say who the student is. On a real hub
# each user has an account (or is "jovyan" in a container) and nbgrader knows already.
STUDENT_CONFIG = """
import os
if os.environ.get("TEST_HUB_USER"):
    c.CourseDirectory.student_id = os.environ["TEST_HUB_USER"]
"""


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Hub:
    def __init__(self, url: str, token: str, top: Path, log: Path):
        self.url, self.token, self.top, self.log = url, token, top, log

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(method, self.url + path, headers=headers, timeout=600, **kwargs)

    def user_token(self, name: str) -> str:
        done = self.api("POST", f"/hub/api/users/{name}/tokens", json={"expires_in": 3600})
        assert done.status_code == 201, done.text
        return done.json()["token"]

    def start_server(self, name: str) -> None:
        done = self.api("POST", f"/hub/api/users/{name}/server")
        assert done.status_code in (201, 202), done.text
        until(
            lambda: (
                self.api("GET", f"/hub/api/users/{name}").json()["servers"].get("", {}).get("ready")
            )
        )

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-8000:]


def until(check, seconds: float = 240, every: float = 1.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
        except requests.ConnectionError:
            result = None
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"gave up waiting after {seconds} s")


@pytest.fixture(scope="module")
def hub():
    if not PROXY.exists():
        message = "configurable-http-proxy is missing: run `npm ci` (make node-tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    top = Path(tempfile.mkdtemp(prefix="hub-course-"))
    course = copy_course(top / "course")
    exchange = top / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    (top / "home").mkdir()
    student_config = top / "student-config"
    student_config.mkdir()
    (student_config / "nbgrader_config.py").write_text(STUDENT_CONFIG, encoding="utf-8")
    token = secrets.token_hex(32)
    port = free_port()
    config = top / "jupyterhub_config.py"
    config.write_text(
        TEST_CONFIG.format(
            hub_config=str(HUB_CONFIG),
            homes=str(top / "home"),
            student_config=str(student_config),
            port=port,
            hub_port=free_port(),
            proxy=str(PROXY),
            proxy_port=free_port(),
            top=top,
            token=token,
            as_root=os.geteuid() == 0,
        ),
        encoding="utf-8",
    )
    env = venv_env()
    env.update(
        COURSE_INSTRUCTORS="instructor",
        COURSE_STUDENTS="student",
        COURSE_DIR=str(course),
        COURSE_GRADER="",
        FORMGRADER_PORT=str(free_port()),
        NBGRADER_EXCHANGE=str(exchange),
        # Stands in for the students' normal install of the package (JupyterHub keeps it).
        PYTHONPATH=str(ROOT),
    )
    log = top / "jupyterhub.log"
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
            cwd=top,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Hub(f"http://127.0.0.1:{port}", token, top, log)
    try:
        until(lambda: process.poll() is None and running.api("GET", "/hub/api/").ok, 180)
        yield running
    except AssertionError:
        pytest.fail(f"JupyterHub did not start:\n{running.logs()}")
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(top, ignore_errors=True)


def test_a_student_submits_through_the_hub_and_gets_graded(hub):
    spec = next(s for s in load_class()[ASSIGNMENT] if s.get("via") == "exchange")
    instructor, student = hub.user_token("instructor"), hub.user_token("student")
    formgrader = f"/services/{COURSE}/formgrader/api"

    def instructor_does(path: str, method: str = "POST") -> dict:
        done = hub.api(method, formgrader + path, instructor)
        assert done.ok, f"{path}: {done.status_code} {done.text[:2000]}\n{hub.logs()}"
        return done.json()

    # The formgrader service is the instructors' (their group), not the students'.
    until(lambda: hub.api("GET", formgrader + "/assignments", instructor).ok, 240)
    assert hub.api("GET", formgrader + "/assignments", student).status_code in (403, 404)

    # The instructor makes the student version and releases it to the exchange.
    assert instructor_does(f"/assignment/{ASSIGNMENT}/assign")["success"]
    assert instructor_does(f"/assignment/{ASSIGNMENT}/release")["success"]

    # The student's server lists the course (from the hub's groups) and fetches the assignment.
    hub.start_server("student")
    mine = "/user/student"
    courses = hub.api("GET", f"{mine}/courses", student).json()
    assert courses == {"success": True, "value": [COURSE]}, courses
    where = {"course_id": COURSE, "assignment_id": ASSIGNMENT}
    listed = hub.api("POST", f"{mine}/assignments/fetch", student, data=where).json()
    assert listed["success"], listed
    fetched = next(a for a in listed["value"] if a["status"] == "fetched")
    path = fetched["notebooks"][0]["path"]

    # ... answers in the notebook (saved through the contents API, as JupyterLab saves) ...
    contents = f"{mine}/api/contents/{path}"
    page = hub.api("GET", contents, student).json()
    answered = fill_in(nbformat.from_dict(page["content"]), spec)
    saved = hub.api("PUT", contents, student, json={"type": "notebook", "content": answered})
    assert saved.ok, saved.text

    # ... and submits.
    submitted = hub.api("POST", f"{mine}/assignments/submit", student, data=where).json()
    assert submitted["success"], submitted
    assert any(a["status"] == "submitted" for a in submitted["value"]), submitted

    # The instructor collects, autogrades, makes the feedback and releases it.
    assert instructor_does(f"/assignment/{ASSIGNMENT}/collect")["success"]
    graded = instructor_does(f"/submission/{ASSIGNMENT}/student/autograde")
    assert graded["success"], graded.get("error", "")[-3000:]
    assert instructor_does(f"/assignment/{ASSIGNMENT}/generate_feedback")["success"]
    assert instructor_does(f"/assignment/{ASSIGNMENT}/release_feedback")["success"]

    # The gradebook has exactly the points the fixture expects for this work.
    total = float(sum(spec["expect"].values()))
    submission = instructor_does(f"/submission/{ASSIGNMENT}/student", "GET")
    assert submission["score"] == total, submission
    assert submission["max_score"] == 30.0

    # The student fetches the feedback page, which shows the same score.
    back = hub.api("POST", f"{mine}/assignments/fetch_feedback", student, data=where).json()
    assert back["success"], back
    pages = list((hub.top / "home" / "student").rglob(f"feedback/*/{ASSIGNMENT}.html"))
    assert len(pages) == 1, pages
    assert f"{ASSIGNMENT} (Score: {total} / 30.0)" in pages[0].read_text(encoding="utf-8")
    assert submission["student"] == "student"
