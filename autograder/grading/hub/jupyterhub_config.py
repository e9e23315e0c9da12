# JupyterHub settings for running the course's graded assignments on a hub (tested with 6.1.1).
#
#   jupyterhub -f autograder/grading/hub/jupyterhub_config.py
#
# What it sets up (the instructor guide, book/instructor_grading.md, "On a JupyterHub", says
# how to use it and what it needs):
# - the formgrader as a hub service named after the course ("two-presences"): one shared
#   Jupyter server in the course folder, run by a grader account, that every instructor and
#   grader reaches at /services/two-presences/ (no instructor needs their own copy);
# - two groups nbgrader knows: formgrade-two-presences (instructors and graders: the formgrader)
#   and nbgrader-two-presences (students: fetch, submit, feedback);
# - the exchange, through the shared nbgrader settings in hub/jupyter/nbgrader_config.py;
# - what the students' notebooks import (`from autograder.grading import check_my_answers`):
#   install this repository with a normal `pip install .` (not editable) into the Python the
#   students' servers use. That installs the checks and the judge but not the course folder
#   autograder/grading/course/, which holds the model answers; only the formgrader service gets
#   this checkout on its PYTHONPATH. Keep the checkout readable by the grader account alone.
#
# Deployment values come from the environment, so this file needs no edits:
#   COURSE_INSTRUCTORS, COURSE_STUDENTS   user names, separated by commas
#   COURSE_DIR      the course folder the formgrader serves (default: the course in this
#                   checkout, autograder/grading/course)
#   COURSE_GRADER   the Unix account the formgrader runs as (default: grader-two-presences;
#                   empty: the hub's own account)
#   FORMGRADER_PORT the formgrader's local port (default 9999)
#   NBGRADER_EXCHANGE, NBGRADER_DB_URL   passed on to nbgrader (see hub/jupyter/nbgrader_config.py
#                   and the course's nbgrader_config.py)
# Authentication and spawning are the hub's usual settings (PAM and local Unix users by
# default; add yours after loading this file with load_subconfig).
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides get_config)

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parents[2]
COURSE_ID = "two-presences"
COURSE_DIR = os.environ.get("COURSE_DIR", str(HERE.parent / "course"))
# The grader: a hub user in the formgrade group, whose identity the formgrader service uses when
# it asks the hub who is in the course, and the Unix account the service runs as.
GRADER_NAME = f"grader-{COURSE_ID}"
GRADER = os.environ.get("COURSE_GRADER", GRADER_NAME)
PORT = int(os.environ.get("FORMGRADER_PORT", "9999"))


def names(variable: str) -> list[str]:
    return [name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()]


instructors = names("COURSE_INSTRUCTORS")
students = names("COURSE_STUDENTS")

# ---------------------------------------------------------------- who is who
c.Authenticator.allowed_users = set(instructors + students)
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": [*instructors, GRADER_NAME]},
    # Instructors are in the course too, to try what students see.
    f"nbgrader-{COURSE_ID}": {"users": instructors + students},
}
c.JupyterHub.load_roles = [
    {  # instructors and graders open the formgrader service
        "name": f"formgrade-{COURSE_ID}",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": [f"access:services!service={COURSE_ID}", "list:services"],
    },
    {  # students' servers find the course (the Assignments tab asks the hub)
        "name": f"nbgrader-{COURSE_ID}",
        "groups": [f"nbgrader-{COURSE_ID}"],
        "scopes": ["list:services", f"read:services!service={COURSE_ID}"],
    },
    {  # a user's server may do what its user may (nbgrader reads the user's groups)
        "name": "server",
        "scopes": ["inherit"],
    },
    {  # the formgrader checks who is in the course, and adds students it creates
        "name": f"grader-{COURSE_ID}",
        "services": [COURSE_ID],
        "scopes": ["list:users", "read:users", "read:groups", "list:groups", "groups"],
    },
]

# ---------------------------------------------------------------- the servers everyone gets
# nbgrader's settings for everyone: the exchange, course membership from the hub's groups.
shared = {
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "JUPYTERHUB_DEFAULT_URL": "/lab",
}
for passed_on in ("NBGRADER_EXCHANGE", "NBGRADER_DB_URL"):
    if os.environ.get(passed_on):
        shared[passed_on] = os.environ[passed_on]
c.Spawner.environment = dict(shared)
c.Spawner.default_url = "/lab"

# ---------------------------------------------------------------- the formgrader, as a service
service = {
    "name": COURSE_ID,
    "url": f"http://127.0.0.1:{PORT}",
    "command": [
        sys.executable,
        "-m",
        "jupyterhub.singleuser",
        f"--ServerApp.root_dir={COURSE_DIR}",
    ],
    "cwd": COURSE_DIR,
    # The grader's server runs the course's nbgrader plugins from this checkout.
    "environment": {**shared, "JUPYTERHUB_USER": GRADER_NAME, "PYTHONPATH": str(CHECKOUT)},
    "oauth_no_confirm": True,
    "display": True,
}
if GRADER:
    service["user"] = GRADER
c.JupyterHub.services = [service]
