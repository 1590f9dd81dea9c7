"""Unit tests of the local-cloud machinery that need no OpenStack service.

Run: python3 -m unittest discover -s conformance/realcloud -p 'test_*.py'
"""

from __future__ import annotations

import configparser
import os
import sys
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import json  # noqa: E402

from realcloud import clouds, conform_table, identity, inifile, process, whole_api  # noqa: E402
from realcloud.run import Run  # noqa: E402
from realcloud.services import for_mode, keystone  # noqa: E402
from realcloud.services import placement  # noqa: E402
from realcloud.services.placement import Placement  # noqa: E402
from realcloud.settings import RunSettings  # noqa: E402
from realcloud.venvs import Venv  # noqa: E402

PASTE = """[composite:api]
keystone = cors request_id authtoken context rootapp
keystone+cache = cors authtoken context cache rootapp
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
"""


class WithoutFilter(unittest.TestCase):
    def test_drops_the_filter_from_every_pipeline_and_keeps_the_rest(self):
        rewritten = inifile.without_filter(PASTE, "authtoken")
        self.assertIn("keystone = cors request_id context rootapp\n", rewritten)
        self.assertIn("keystone+cache = cors context cache rootapp\n", rewritten)
        # The filter's own section stays; only pipelines stop naming it.
        self.assertIn("keystonemiddleware.auth_token:filter_factory", rewritten)

    def test_refuses_a_paste_file_that_does_not_name_the_filter(self):
        with self.assertRaisesRegex(ValueError, "authtoken"):
            inifile.without_filter("[pipeline:x]\npipeline = cors app\n", "authtoken")


class Write(unittest.TestCase):
    def test_renders_lists_booleans_and_bracketed_lists(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = inifile.write(Path(tmp) / "a.conf", {"DEFAULT": {
                "hosts": ["a", "b"], "flag": False, "ports": inifile.bracketed([1, 2])}})
            self.assertEqual(path.read_text(),
                             "[DEFAULT]\nhosts = a,b\nflag = False\nports = [1,2]\n")


class Stop(unittest.TestCase):
    def test_kills_a_process_that_ignores_sigterm(self):
        stubborn = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                    "print('ready', flush=True); time.sleep(60)")
        with tempfile.TemporaryDirectory() as tmp, \
                mock.patch.object(process, "STOP_GRACE_SECONDS", 1.0):
            run_dir = Path(tmp)
            pid = process.start(run_dir, "stubborn", [sys.executable, "-c", stubborn])
            log = process.log_file(run_dir, "stubborn")
            deadline = time.monotonic() + 10
            while "ready" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(process.stop(run_dir, "stubborn"), "killed (SIGKILL)")
            self.assertFalse(process.is_alive(pid))
            self.assertIsNone(process.recorded_pid(run_dir, "stubborn"))

    def test_reports_a_name_that_was_never_started(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertEqual(process.stop(Path(tmp), "nothing"), "not started")


class WaitHttp(unittest.TestCase):
    def test_fails_fast_naming_the_log_when_the_process_died(self):
        with tempfile.TemporaryDirectory() as tmp:
            run_dir = Path(tmp)
            pid = process.start(run_dir, "dies", [sys.executable, "-c", "raise SystemExit(3)"])
            started = time.monotonic()
            with self.assertRaisesRegex(RuntimeError, "dies.log"):
                process.wait_http("http://127.0.0.1:9/", {}, 30, pid,
                                  process.log_file(run_dir, "dies"))
            self.assertLess(time.monotonic() - started, 10)


class VenvMarker(unittest.TestCase):
    def test_a_venv_is_ready_only_when_its_marker_names_the_same_pins(self):
        with tempfile.TemporaryDirectory() as tmp, \
                mock.patch.dict(os.environ, {"STACKSPEC_CACHE_DIR": tmp}):
            venv = Venv("svc", "1.0", ("svc==1.0",))
            self.assertFalse(venv.is_ready())
            venv.path.mkdir(parents=True)
            (venv.path / ".stackspec-complete").write_text("svc==0.9\n")
            self.assertFalse(venv.is_ready())
            (venv.path / ".stackspec-complete").write_text("svc==1.0\n")
            self.assertTrue(venv.is_ready())


class Settings(unittest.TestCase):
    def test_an_unknown_auth_mode_is_refused_with_the_variable_named(self):
        with mock.patch.dict(os.environ, {"STACKSPEC_CLOUD_AUTH": "kerberos"}):
            with self.assertRaisesRegex(SystemExit, "STACKSPEC_CLOUD_AUTH"):
                RunSettings.from_env()

    def test_a_token_lifetime_too_short_to_seed_with_is_refused(self):
        for raw in ("10", "1h", ""):
            with mock.patch.dict(os.environ, {"STACKSPEC_KEYSTONE_TOKEN_EXPIRATION": raw}):
                with self.assertRaisesRegex(SystemExit, "STACKSPEC_KEYSTONE_TOKEN_EXPIRATION"):
                    RunSettings.from_env()
        with mock.patch.dict(os.environ, {"STACKSPEC_KEYSTONE_TOKEN_EXPIRATION": "90"}):
            self.assertEqual(RunSettings.from_env().token_expiration, 90)


class AdminToken(unittest.TestCase):
    def test_is_fetched_again_after_half_its_lifetime(self):
        logins = []

        def login(*args):
            logins.append(args)
            return identity.Credentials({"X-Auth-Token": f"t{len(logins)}"}, "p", "u")

        run = Run(RunSettings(Path("/nonexistent"), "keystone", token_expiration=60))
        clock = [1000.0]
        with mock.patch.object(identity, "keystone_login", login), \
                mock.patch("realcloud.run.time.monotonic", lambda: clock[0]):
            self.assertEqual(run.headers()["X-Auth-Token"], "t1")
            clock[0] += 29
            self.assertEqual(run.headers()["X-Auth-Token"], "t1")
            clock[0] += 2
            self.assertEqual(run.headers()["X-Auth-Token"], "t2")
        self.assertEqual(len(logins), 2)


class CloudsYaml(unittest.TestCase):
    def test_renders_nested_mappings_as_block_yaml_with_json_scalars(self):
        text = clouds.render({"clouds": {"a b": {"port": 1, "url": "http://x:1/v3"}}})
        self.assertEqual(text, '"clouds":\n  "a b":\n    "port": 1\n    "url": "http://x:1/v3"\n')

    def test_secrets_go_to_secure_yaml_only_and_every_entry_has_its_auth(self):
        public, secret = clouds.entries("http://127.0.0.1:15000", "cred-1")
        self.assertEqual(set(public["clouds"]), {"local", "local-appcred", "local-demo"})
        self.assertEqual(set(secret["clouds"]), set(public["clouds"]))
        rendered = clouds.render(public)
        for value in ("stackspec-admin-secret", "stackspec-member-secret",
                      clouds.APPCRED_SECRET):
            self.assertNotIn(value, rendered)
        appcred = public["clouds"]["local-appcred"]
        self.assertEqual(appcred["auth_type"], "v3applicationcredential")
        self.assertEqual(appcred["auth"]["application_credential_id"], "cred-1")
        self.assertEqual(public["clouds"]["local-demo"]["auth"]["project_name"], "demo")

    def test_secure_yaml_is_private_to_its_owner(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = clouds.write(Path(tmp), "http://127.0.0.1:15000", "cred-1")
            self.assertEqual(path.name, "clouds.yaml")
            self.assertEqual((Path(tmp) / "secure.yaml").stat().st_mode & 0o777, 0o600)


class ConformTable(unittest.TestCase):
    def test_sums_every_operation_of_a_report_and_marks_a_run_without_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            reports = Path(tmp)
            (reports / "runs.txt").write_text("api-a local 0 12\napi-b local-appcred 2 1\n")
            (reports / "api-a.json").write_text(json.dumps({
                "operations": {
                    "op1": {"cases": 3, "passed": 3, "failed": 0, "warnings": 1,
                            "acknowledged": {"F10": 1, "F2": 2}},
                    "op2": {"cases": 4, "passed": 2, "failed": 2, "warnings": 0,
                            "acknowledged": {"F2": 1}},
                },
            }))
            rows = conform_table.read_rows(reports)
            self.assertEqual(rows[0].cells(),
                             ["api-a", "local", "0", "12", "2", "7", "5", "2", "1", "F2×3 F10×1"])
            self.assertEqual(rows[1].cells()[:4], ["api-b", "local-appcred", "2", "1"])
            self.assertEqual(set(rows[1].cells()[4:]), {"-"})
            markdown = conform_table.render(rows, markdown=True)
            self.assertIn("| api-a | local | 0 | 12 | 2 | 7 | 5 | 2 | 1 | F2×3 F10×1 |", markdown)


class PlacementConfig(unittest.TestCase):
    def config(self, auth_mode: str, tmp: str) -> dict[str, dict[str, object]]:
        return Placement().config(Run(RunSettings(Path(tmp), auth_mode)))

    def test_headers_mode_runs_noauth2_without_authtoken_and_keeps_the_database_in_the_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = self.config("headers", tmp)
            self.assertEqual(config["api"]["auth_strategy"], "noauth2")
            self.assertNotIn("keystone_authtoken", config)
            self.assertEqual(config["placement_database"]["connection"],
                             f"sqlite:///{tmp}/placement/placement.sqlite")
            self.assertEqual(config["DEFAULT"]["log_file"],
                             Path(tmp) / "logs" / "placement-app.log")

    def test_keystone_mode_validates_tokens_as_the_placement_service_user(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = self.config("keystone", tmp)
            self.assertEqual(config["api"]["auth_strategy"], "keystone")
            self.assertEqual(config["keystone_authtoken"]["username"], "placement")
            self.assertEqual(config["keystone_authtoken"]["password"],
                             identity.service_password("placement"))

    def test_serves_one_request_at_a_time(self):
        # Two threads made concurrent sqlite writers fail with 500 "database is locked".
        with tempfile.TemporaryDirectory() as tmp:
            argv = Placement().argv(Run(RunSettings(Path(tmp), "headers")))
            self.assertEqual(argv[argv.index("--threads") + 1], "1")
            self.assertEqual(argv[-1], "placement.wsgi.api:application")


class PlacementSeed(unittest.TestCase):
    """The seed against a fake placement that records what it was sent."""

    def seed(self) -> tuple[dict[str, object], list[tuple[str, str, object]]]:
        sent: list[tuple[str, str, object]] = []

        def call(method, url, headers, body=None):
            path = url.split("127.0.0.1:18778", 1)[1]
            sent.append((method, path, body))
            if path == "/resource_providers":
                return 200, {}, {"uuid": f"rp-{body['name']}", "generation": 0}
            return 200, {}, {"resource_provider_generation": 1}

        run = Run(RunSettings(Path("/nonexistent"), "headers"))
        with mock.patch.object(placement.client, "call", call), \
                mock.patch.dict(os.environ, {"STACKSPEC_PORT_PLACEMENT": "18778"}):
            return Placement().seed(run, {}), sent

    def test_a_consumer_runs_are_not_told_of_keeps_the_seeded_provider_in_use(self):
        seeded, sent = self.seed()
        allocations = {path.rsplit("/", 1)[1]: body["allocations"]
                       for method, path, body in sent if path.startswith("/allocations/")}
        self.assertEqual(set(allocations), {seeded["consumer_id"], seeded["anchor_consumer_id"]})
        anchor = allocations[seeded["anchor_consumer_id"]]
        # Deleting `consumer_id`'s allocations (as a run may) leaves the provider, its custom
        # inventory and the resource class in use: placement refuses to delete them (409).
        self.assertIn(seeded["resource_class"], anchor[seeded["resource_provider_id"]]["resources"])
        self.assertIn(seeded["anchor_provider_id"], anchor)

    def test_the_trait_stays_on_a_provider_runs_are_not_told_of(self):
        seeded, sent = self.seed()
        traits = {path: body["traits"] for method, path, body in sent if path.endswith("/traits")}
        self.assertEqual(traits[f"/resource_providers/{seeded['anchor_provider_id']}/traits"],
                         [seeded["trait"]])
        self.assertEqual(seeded["trait"], seeded["resource_class"])


class TrustedHeaders(unittest.TestCase):
    def test_the_noauth2_token_names_the_same_user_and_project_as_the_identity_headers(self):
        headers = identity.trusted_headers().headers
        # placement's NoAuthMiddleware: `user_id, _, project_id = token.partition(':')`.
        user, _, project = headers["X-Auth-Token"].partition(":")
        self.assertEqual((user, project), (headers["X-User-Id"], headers["X-Project-Id"]))


class KeystoneSeed(unittest.TestCase):
    def test_every_keystone_mode_service_has_a_service_user_and_a_catalog_entry(self):
        others = {s.name for s in for_mode("keystone")} - {"keystone"}
        self.assertIn("placement", others)
        self.assertLessEqual(others, set(keystone.SERVICE_USERS))
        self.assertLessEqual(others, {name for name, _ in keystone.CATALOG.values()})
        self.assertEqual(keystone.CATALOG["placement"], ("placement", ""))


class KeystoneServing(unittest.TestCase):
    """Keystone as the whole-API identity run needs it: sqlite writes one at a time, fast."""

    def run_dir(self, tmp: str) -> Run:
        return Run(RunSettings(Path(tmp), "keystone"))

    def test_serves_one_request_at_a_time(self):
        # Two threads made concurrent sqlite writers fail with 500 "database is locked".
        with tempfile.TemporaryDirectory() as tmp:
            argv = keystone.Keystone().argv(self.run_dir(tmp))
            self.assertEqual(argv[argv.index("--threads") + 1], "1")

    def test_hashes_passwords_with_the_fewest_bcrypt_rounds(self):
        # With one thread, 12 rounds (~1 s a hash) held every request behind each password.
        with tempfile.TemporaryDirectory() as tmp:
            run = self.run_dir(tmp)
            keystone.Keystone().configure(run)
            conf = configparser.ConfigParser(interpolation=None)
            conf.read(run.service_dir("keystone") / "keystone.conf")
            self.assertEqual(conf["identity"]["password_hash_rounds"], "4")


if __name__ == "__main__":
    unittest.main()


class WholeApiDeclaration(unittest.TestCase):
    def load(self, text: str) -> whole_api.Declaration:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "compute.yaml"
            path.write_text(text)
            return whole_api.Declaration.load(path)

    def test_skips_become_one_reason_per_operation_and_placeholders_are_filled(self):
        d = self.load("spec: compute\nurl: '{root:heat}'\npath_values: {server_id: '{seed:nova ids 1}'}\n"
                      "skips:\n  - reason: no compute host\n    operations: [boot, reboot]\n")
        self.assertEqual(d.skips, {"boot": "no compute host", "reboot": "no compute host"})
        seeds, endpoints = {"nova": {"ids": ["a", "b"]}}, {"heat": "http://127.0.0.1:18004/v1/p"}
        options = mock.Mock(max_cases=3, seed=7)
        argv = whole_api.command(d, "stackspec", Path("/r/whole-compute"), options, seeds, endpoints)
        self.assertIn("--skip", argv)
        self.assertEqual(argv[argv.index("--skip") + 1], "boot=no compute host")
        self.assertEqual(argv[argv.index("--url") + 1], "http://127.0.0.1:18004")
        self.assertEqual(argv[argv.index("--path-value") + 1], "server_id=b")
        with self.assertRaisesRegex(whole_api.DeclarationError, "seed.json has no such value"):
            whole_api.expand("{seed:nova nothing}", seeds, endpoints)

    def test_a_declaration_without_a_spec_or_a_reason_or_with_a_skip_twice_is_refused(self):
        for text, expected in [("args: []\n", "spec:"),
                               ("spec: x\nskips: [{operations: [a]}]\n", r"skips\[0\]: expected `reason`"),
                               ("spec: x\nskips: [{reason: r, operations: [a]}, {reason: s, operations: [a]}]\n",
                                "`a` is declared twice")]:
            with self.assertRaisesRegex(whole_api.DeclarationError, expected):
                self.load(text)

    def test_a_row_counts_declared_skips_successes_distinct_5xx_and_unexplained_failures(self):
        record = lambda op, status, failed, sig, ack=(): {  # noqa: E731
            "operation": op, "status": status, "failed": failed, "signature": sig,
            "acknowledged": [{"finding": f} for f in ack]}
        report = {"operations": {"a": {}, "b": {}},
                  "skipped": [{"operation": "c", "phase": "examples", "reason": "declared not servable here: x"},
                              {"operation": "b", "phase": "property", "reason": "no sample"}],
                  "records": [record("a", 200, False, ""), record("a", 500, False, "500 x", ["F59"]),
                              record("b", 500, True, "500 y"), record("b", 500, True, "500 y"),
                              record("b", 400, True, "400 z")]}
        cells = whole_api.row("image", 1, 9, report)
        self.assertEqual(dict(zip(whole_api.COLUMNS, cells)), {
            "service": "image", "exit": "1", "seconds": "9", "operations": "3", "skipped": "1",
            "got 2xx": "1", "cases": "5", "failed": "3", "5xx signatures": "2", "findings": "1",
            "unexplained": "2"})
