"""Glance 33 (image service) under gunicorn, with file stores and taskflow import tasks."""

from __future__ import annotations

from pathlib import Path

from .. import client, fixture, inifile, settings
from ..run import Run
from .base import Service, authtoken_sections, gunicorn_argv, paste_for_mode


class Glance(Service):
    name = "glance"
    ready_path = "/v2/images"
    auth_modes = ("headers", "keystone")

    def configure(self, run: Run) -> None:
        home = run.service_dir(self.name)
        stores = {store: home / store
                  for store in ("images", "staging", "tasks", "work", "cache")}
        for path in stores.values():
            path.mkdir(exist_ok=True)
        paste = (Path(self.venv.path) / "etc/glance/glance-api-paste.ini").read_text()
        paste = paste_for_mode(paste, run)
        (home / "glance-api-paste.ini").write_text(paste)
        inifile.write(home / "glance-api.conf", {
            "DEFAULT": {
                "enabled_backends": "fs:file",
                "worker_self_reference_url": self.url,
                # A bounded list option: glance reads `a,b` as one method named "a,b" and
                # answers image creation and import with 500.
                # glance's default set (copy-image copies between the stores of `/v2/info/stores`).
                "enabled_import_methods": inifile.bracketed(
                    ["glance-direct", "web-download", "copy-image"]),
                "log_file": run.root / "logs" / "glance-app.log",
                # The cache API (`/v2/cache`) answers 404 "Caching via API is not supported
                # at this site" without a cache directory; the cache's own database is
                # glance's (the default `centralized_db` driver).
                "image_cache_dir": stores["cache"],
            },
            "database": {"connection": f"sqlite:///{home / 'glance.sqlite'}"},
            "glance_store": {"default_backend": "fs"},
            "fs": {"filesystem_store_datadir": stores["images"]},
            "os_glance_staging_store": {"filesystem_store_datadir": stores["staging"]},
            "os_glance_tasks_store": {"filesystem_store_datadir": stores["tasks"]},
            "task": {"work_dir": stores["work"], "task_executor": "taskflow"},
            "taskflow_executor": {"engine_mode": "serial"},
            "import_filtering_opts": {
                "allowed_hosts": inifile.bracketed([settings.HOST]),
                "allowed_ports": inifile.bracketed([settings.port("fixture")]),
            },
            # `+caching` puts the cache middleware in the pipeline, so that downloads fill
            # the cache the cache API manages.
            "paste_deploy": {"flavor": "keystone+caching",
                             "config_file": home / "glance-api-paste.ini"},
            "oslo_policy": {"enforce_new_defaults": True, "enforce_scope": False},
            "oslo_concurrency": {"lock_path": home / "locks"},
            **authtoken_sections(self, run),
        })

    def env(self, run: Run) -> dict[str, str]:
        return {"OS_GLANCE_CONFIG_DIR": str(run.service_dir(self.name))}

    def prepare(self, run: Run) -> None:
        home = run.service_dir(self.name)
        run.tool(self.venv, "glance-manage", "--config-file", str(home / "glance-api.conf"),
                 "db_sync", log_name="glance-setup")

    def argv(self, run: Run) -> list[str]:
        # One thread: with two, concurrent metadef writes answered 500 "database is locked"
        # (sqlite refusing a second writer), which a whole-API run took for a glance bug.
        return gunicorn_argv(self, run, "glance.wsgi.api:application", threads=1)

    def seed(self, run: Run, seeded: dict[str, object]) -> dict[str, object]:
        """One finished `import` task (tasks are admin-only; the headers carry admin)."""
        task = {
            "type": "import",
            "input": {
                "import_from": fixture.file_url(),
                "import_from_format": "raw",
                "image_properties": {"name": "stackspec-seed", "disk_format": "raw",
                                     "container_format": "bare"},
            },
        }
        _, _, created = client.call("POST", f"{self.url}/v2/tasks", run.headers(), task)
        task_url = f"{self.url}/v2/tasks/{created['id']}"
        finished = client.poll(
            f"glance import task {created['id']}",
            lambda: client.call("GET", task_url, run.headers())[2],
            lambda body: body["status"] in ("success", "failure"),
            timeout=60,
        )
        if finished["status"] != "success":
            raise RuntimeError(f"seed import task failed: {finished.get('message')}")
        return {"task_id": created["id"], "image_id": finished["result"]["image_id"]}
