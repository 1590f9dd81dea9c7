"""Unit tests of the SDK-against-mock machinery that need no mock and no network.

Run: conformance/sdk/run.py unittest (in the openstacksdk venv, which has PyYAML and
openstacksdk; the tests that need them are skipped elsewhere).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mocks  # noqa: E402
import run  # noqa: E402
from realcloud import process  # noqa: E402

try:
    import samples
except ImportError:  # outside the venv: no PyYAML
    samples = None
try:
    import calls
except ImportError:  # outside the venv: no openstacksdk
    calls = None


class CloudsYaml(unittest.TestCase):
    def test_every_service_gets_its_endpoint_path_below_its_own_port(self):
        ports = {"image": 1001, "compute": 1002, "orchestration": 1003,
                 "baremetal-introspection": 1004}
        cloud = json.loads(mocks.clouds_yaml(ports))["clouds"][mocks.CLOUD_NAME]
        self.assertEqual(cloud["auth_type"], "none")
        self.assertEqual(cloud["image_endpoint_override"], "http://127.0.0.1:1001/v2")
        self.assertEqual(cloud["compute_endpoint_override"], "http://127.0.0.1:1002")
        self.assertNotIn("image_api_version", cloud)
        self.assertEqual(cloud["orchestration_endpoint_override"],
                         f"http://127.0.0.1:1003/v1/{mocks.PROJECT_ID}")
        self.assertEqual(cloud["baremetal_introspection_endpoint_override"],
                         "http://127.0.0.1:1004")

    def test_a_missing_port_is_an_error_not_a_silent_default(self):
        with self.assertRaises(KeyError):
            mocks.clouds_yaml({"image": 1})

    def test_free_port_can_be_bound(self):
        port = mocks.free_port()
        with socket.socket() as sock:
            sock.bind((mocks.HOST, port))


def sleeper(run_dir: Path, stage: run.Stage) -> dict[str, int]:
    """Stands in for start_mocks: one long sleep per service, started like the mocks."""
    for service in stage.services:
        process.start(run_dir, service.spec, ["sleep", "60"])
    return {service.spec: 0 for service in stage.services}


class MocksAreStopped(unittest.TestCase):
    """For each stage (the SDK's and the CLI's), whatever happens."""

    def setUp(self):
        self.stackspec = Path(tempfile.mkstemp()[1])
        self.addCleanup(self.stackspec.unlink)
        self.run_dir = Path(tempfile.mkdtemp())
        # Should a test fail because run() left a process behind, it is still stopped.
        self.addCleanup(run.stop_mocks, self.run_dir)
        self.args = argparse.Namespace(stackspec=self.stackspec, spec_dir=Path("spec"), keep=True)

    def run_with(self, stage: run.Stage, run_calls, venv_error=None) -> tuple[int, list[int]]:
        started = []

        def start(run_dir, stage, stackspec, spec_dir):
            ports = sleeper(run_dir, stage)
            started.extend(process.recorded_pid(run_dir, s.spec) for s in stage.services)
            return ports

        venv = mock.Mock(**{"ensure.return_value": 0.0, "ensure.side_effect": venv_error})
        venv.name = stage.venv.name
        stage = dataclasses.replace(stage, venv=venv)
        with mock.patch.object(run, "start_mocks", start), \
                mock.patch.object(run, "run_calls", run_calls), \
                mock.patch.object(run.tempfile, "mkdtemp", lambda prefix: str(self.run_dir)):
            status = run.run(stage, self.args)
        return status, started

    def test_when_the_calls_fail_every_mock_is_stopped_and_the_status_is_kept(self):
        for stage in run.STAGES.values():
            with self.subTest(stage.script):
                status, started = self.run_with(stage, lambda run_dir, stage, ports, spec: 1)
                self.assertEqual(status, 1)
                self.assertEqual(len(started), len(stage.services))
                self.assertFalse([pid for pid in started if process.is_alive(pid)])

    def test_when_setup_raises_every_mock_is_stopped_and_the_status_is_2(self):
        def broken(run_dir, stage, ports, spec_dir):
            raise RuntimeError("mock exited while starting")

        for stage in run.STAGES.values():
            with self.subTest(stage.script):
                status, started = self.run_with(stage, broken)
                self.assertEqual(status, 2)
                self.assertFalse([pid for pid in started if process.is_alive(pid)])

    def test_a_venv_that_cannot_be_built_is_status_2_and_starts_no_mock(self):
        error = RuntimeError("pip exited 1; see pip-openstackclient.log")
        status, started = self.run_with(run.CLI, lambda *a: 0, venv_error=error)
        self.assertEqual((status, started), (2, []))

    def test_a_missing_binary_is_reported_before_anything_starts(self):
        self.args.stackspec = self.run_dir / "nope"
        with mock.patch.object(run, "start_mocks") as start:
            self.assertEqual(run.run(run.CLI, self.args), 2)
        start.assert_not_called()


class Stages(unittest.TestCase):
    def test_only_the_cli_sends_a_token_so_only_its_mocks_ask_for_one(self):
        self.assertEqual((run.SDK.sends_token, run.CLI.sends_token), (False, True))

    def test_the_cli_venv_is_keyed_by_the_openstackclient_pin_and_holds_every_pin(self):
        self.assertEqual(run.CLI.venv.name, "openstackclient")
        self.assertIn(f"python-openstackclient=={run.CLI.venv.version}", run.CLI.venv.requirements)
        unpinned = [r for r in run.CLI.venv.requirements if "==" not in r]
        self.assertEqual(unpinned, [])

    def test_a_requirements_file_without_the_package_pin_is_an_error_naming_it(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# comment\ncliff==4.17.0\n")
        self.addCleanup(os.unlink, f.name)
        with self.assertRaisesRegex(ValueError, "one `python-openstackclient==VERSION` line"):
            run.pinned(Path(f.name), "python-openstackclient")


SPEC = {
    "paths": {
        "/things": {
            "get": {
                "responses": {
                    "404": {"content": {"application/json": {"example": {"wrong": 1}}}},
                    "200": {"content": {"application/json": {"examples": {
                        "base": {"value": {"v": "2.1"}, "x-stackspec": {"microversion": "2.1"}},
                        "nine": {"value": {"v": "2.9"}, "x-stackspec": {"microversion": "2.9"}},
                        "ten": {"value": {"v": "2.10"}, "x-stackspec": {"microversion": "2.10"}},
                    }}}},
                },
            },
            "post": {
                "requestBody": {"content": {"application/json": {"example": {"name": "x"}}}},
                "responses": {"202": {"description": "no body"}},
            },
        },
    },
}


@unittest.skipIf(samples is None, "needs PyYAML (run in the venv: run.py unittest)")
class Samples(unittest.TestCase):
    def test_picks_the_highest_microversion_not_above_the_requested_one(self):
        self.assertEqual(samples.response_example(SPEC, "/things", "get", "2.9"), {"v": "2.9"})
        self.assertEqual(samples.response_example(SPEC, "/things", "get", "2.11"), {"v": "2.10"})
        self.assertEqual(samples.response_example(SPEC, "/things", "get", "2.5"), {"v": "2.1"})

    def test_without_a_version_or_below_every_sample_the_first_is_used(self):
        self.assertEqual(samples.response_example(SPEC, "/things", "get"), {"v": "2.1"})
        self.assertEqual(samples.response_example(SPEC, "/things", "get", "1.0"), {"v": "2.1"})

    def test_errors_name_the_json_pointer(self):
        no_example = r"^/paths/~1things/post/responses/202/content: no example"
        with self.assertRaisesRegex(samples.SpecError, no_example):
            samples.response_example(SPEC, "/things", "post")
        no_operation = r"^/paths/~1nothing/get/responses: no such operation"
        with self.assertRaisesRegex(samples.SpecError, no_operation):
            samples.response_example(SPEC, "/nothing", "get")
        self.assertEqual(samples.request_example(SPEC, "/things", "post"), {"name": "x"})

    def test_timestamps_stay_the_strings_the_wire_carries(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("at: 2016-06-24 14:57:19+00:00\nversion: '2.10'\nn: 3\n")
        self.addCleanup(os.unlink, f.name)
        self.assertEqual(samples.load(Path(f.name)),
                         {"at": "2016-06-24 14:57:19+00:00", "version": "2.10", "n": 3})


@unittest.skipIf(calls is None, "needs openstacksdk (run in the venv: run.py unittest)")
class Expectations(unittest.TestCase):
    def test_a_field_differing_from_the_sample_names_attribute_and_both_values(self):
        parsed = argparse.Namespace(host_id="abc", event="x")
        calls.expect_fields("events[0]", parsed, {"hostId": "abc", "event": "x"},
                            {"host_id": "hostId", "event": "event"})
        differs = r"events\[0\]\.host_id: the client gave 'abc', expected 'def'"
        with self.assertRaisesRegex(AssertionError, differs):
            calls.expect_fields("events[0]", parsed, {"hostId": "def"}, {"host_id": "hostId"})

    def test_the_stack_comes_from_the_events_stack_link(self):
        events = [{"links": [{"rel": "self", "href": "http://h/v1/p/stacks/s/1/events/e"},
                             {"rel": "stack", "href": "http://h/v1/p/stacks/web/42"}]}]
        stack = calls.documented_stack(events)
        self.assertEqual((stack.name, stack.id), ("web", "42"))
        with self.assertRaisesRegex(samples.SpecError, "stack` link"):
            calls.documented_stack([{"links": []}])


if __name__ == "__main__":
    unittest.main()
