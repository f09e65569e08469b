"""JupyterHub settings for a staffplus workshop on one machine (The Littlest JupyterHub style).

The Littlest JupyterHub (TLJH): copy this file to ``/opt/tljh/config/jupyterhub_config.d/staffplus.py``
and run ``sudo tljh-config reload``; TLJH keeps its own authenticator, SystemdSpawner and idle culler.
Any other JupyterHub: ``load_subconfig("/path/to/this/file")`` from your ``jupyterhub_config.py``.
The package must be installed in the *users'* environment (TLJH: ``sudo -E pip install
staffplus-workbook`` from a learner terminal, or ``/opt/tljh/user/bin/pip install ...``); the hub's
own environment needs nothing from us.

Our hub tests (``tests/test_hub.py``) load this very file, then replace only the authenticator, the
spawner and the ports, so what is set here runs in CI on a real hub.
"""

from urllib.parse import quote, urlencode

c = get_config()  # noqa: F821

# -- change these for your workshop ------------------------------------------------------------------------
# your fork, if you changed the workbooks
CONTENT_REPO = "https://github.com/staffplus/staffplus-workbook"
CONTENT_BRANCH = "main"
CONTENT_DIR = "staffplus-workbook"  # nbgitpuller clones into ~/<CONTENT_DIR>
START_NOTEBOOK = "workbooks/00_start_here.ipynb"

# Measured by benchmarks/bench_hub.py: a learner's single-user server (~145 MiB) plus one kernel that
# ran a scenario workbook (~58 MiB) is ~200 MiB resident. The guarantee adds a quarter for headroom
# and is what you plan capacity with (4 learners per GB); the limit lets a learner keep several
# notebooks' kernels open, and export reports (matplotlib loads for their print charts), before
# anything is killed.
MEM_GUARANTEE = "256M"  # JupyterHub's M is MiB
MEM_LIMIT = "768M"

# -- what learners see -------------------------------------------------------------------------------------
# Starting a server pulls the latest workbooks and opens "Start here". nbgitpuller merges instead of
# overwriting: a learner's edited notebooks win, files they deleted come back. The same link for any
# notebook: `staffplus workshop-link --hub URL --repo URL [--branch B] [--notebook PATH]`.
c.Spawner.default_url = "/git-pull?" + urlencode(
    {
        "repo": CONTENT_REPO,
        "branch": CONTENT_BRANCH,
        "targetpath": CONTENT_DIR,
        "urlpath": f"lab/tree/{CONTENT_DIR}/{START_NOTEBOOK}",
    },
    quote_via=quote,
    safe="/",
)

# Learner work (one JSON file per scenario) goes to ~/staffplus-work, outside the folder nbgitpuller
# manages, so re-cloning or resetting the workbooks can never take it with them.
c.Spawner.environment.update({"STAFFPLUS_WORK_DIR": "~/staffplus-work"})

c.Spawner.mem_guarantee = MEM_GUARANTEE
c.Spawner.mem_limit = MEM_LIMIT  # enforced by SystemdSpawner (TLJH) and KubeSpawner
c.Spawner.cpu_limit = 1.0

# Everybody arrives at 9:00: let the spawns queue rather than fail, and give slow disks time.
c.JupyterHub.concurrent_spawn_limit = 50
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
