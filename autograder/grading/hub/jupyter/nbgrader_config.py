# nbgrader settings shared by everyone on the course's JupyterHub: students' servers and the
# formgrader service. autograder/grading/hub/jupyterhub_config.py points every server at this
# folder (JUPYTER_CONFIG_PATH), so nothing needs copying to /etc/jupyter. The course's own
# settings (autograder/grading/course/nbgrader_config.py) are read after these, in the course
# folder, by the formgrader service.
import os

c = get_config()  # noqa: F821 (Jupyter provides get_config)

# The exchange: one folder every user can write to (chmod 1777), where released assignments,
# submissions and feedback wait. It must be the same folder for everyone: on one machine a
# local path; on Kubernetes a volume mounted in every pod (ReadWriteMany), or ngshare instead.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
# Several courses can share the exchange and a student's home: keep each in its own folder.
c.Exchange.path_includes_course = True
# Who takes which course comes from the hub's groups: nbgrader-<course> (students) and
# formgrade-<course> (instructors and graders).
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
