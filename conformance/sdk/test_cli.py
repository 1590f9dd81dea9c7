"""Unit tests of the CLI-against-mock machinery that need no mock, no network and no CLI.

Run: conformance/sdk/run.py unittest (in the openstacksdk venv, which has PyYAML; the
tests that need it are skipped elsewhere).
"""

from __future__ import annotations

import json
import shutil
import stat
import sys
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks  # noqa: E402
import mocks  # noqa: E402

try:
    import cli_calls
    import samples
except ImportError:  # outside the venv: no PyYAML
    cli_calls = samples = None

PORTS = {"compute": 2001, "orchestration": 2002, "baremetal-introspection": 2003}


class CliCloudsYaml(unittest.TestCase):
    def cloud(self) -> dict:
        return json.loads(mocks.cli_clouds_yaml(PORTS))["clouds"][mocks.CLOUD_NAME]

    def test_compute_is_given_as_a_catalog_lists_it_without_a_trailing_slash(self):
        self.assertEqual(self.cloud()["compute_endpoint_override"], "http://127.0.0.1:2001/v2.1")

    def test_a_fixed_token_and_heats_endpoint_ride_on_the_admin_token_plugin(self):
        cloud = self.cloud()
        self.assertEqual(cloud["auth_type"], "admin_token")
        self.assertEqual(cloud["auth"], {
            "token": mocks.CLI_TOKEN,
            "endpoint": f"http://127.0.0.1:2002/v1/{mocks.PROJECT_ID}",
        })
        self.assertEqual(cloud["baremetal_introspection_endpoint_override"],
                         "http://127.0.0.1:2003")

    def test_the_image_mock_is_not_needed(self):
        self.assertNotIn("image_endpoint_override", self.cloud())


class Differences(unittest.TestCase):
    def test_unequal_documents_are_reported_at_the_first_differing_pointer(self):
        expected = {"cpu_arch": "x86_64", "inventory": {"disks": [{"size": 1}, {"size": 2}]}}
        actual = {"cpu_arch": "x86_64", "inventory": {"disks": [{"size": 1}, {"size": 3}]}}
        with self.assertRaisesRegex(AssertionError, r"^data/inventory/disks/1/size: the client "
                                                    r"gave 3, expected 2$"):
            checks.expect_equal("data", actual, expected)

    def test_a_field_on_one_side_only_is_named_missing_on_the_other(self):
        self.assertEqual(checks.first_difference({"a/b": 1}, {}), ("/a~1b", 1, checks.MISSING))
        self.assertEqual(repr(checks.first_difference({}, {"x": None})[1]), "(missing)")

    def test_lists_of_other_lengths_are_reported_whole(self):
        self.assertEqual(checks.first_difference([1], [1, 2]), ("", [1], [1, 2]))


class RegistryRunsEveryCheck(unittest.TestCase):
    def test_a_failing_check_is_reported_and_the_next_one_still_runs(self):
        ran = []

        def broken(context):
            raise AssertionError("status: the client gave 'x', expected 'y'")

        def fine(context):
            ran.append(context.client)
            return "ok"

        registry = checks.Registry("CLI", [("broken", broken), ("fine", fine)])
        with mock.patch("sys.stdout") as out, mock.patch("sys.stderr"):
            status = registry.run("osc")
        printed = "".join(c.args[0] for c in out.write.call_args_list)
        self.assertEqual((status, ran), (1, ["osc"]))
        self.assertIn("FAIL broken", printed)
        self.assertIn("1/2 CLI checks passed", printed)


class Lanes(unittest.TestCase):
    def test_lanes_run_at_once_and_each_lanes_checks_in_order_with_their_own_state(self):
        other_lane_started = threading.Event()
        order = []

        def first(context):
            # Returns only once the other lane runs: lanes are not run one after another.
            if not other_lane_started.wait(timeout=10):
                raise AssertionError("the other lane did not start while this one ran")
            context.state["seen"] = "first"
            order.append("first")
            return "ok"

        def second(context):
            order.append(("second", context.state.get("seen")))
            return "ok"

        def other(context):
            other_lane_started.set()
            return "ok" if "seen" not in context.state else "shared state"

        registry = checks.Registry("CLI")
        registry.check("first", lane="a")(first)
        registry.check("second", lane="a")(second)
        registry.check("other", lane="b")(other)
        with mock.patch("sys.stdout") as out, mock.patch("sys.stderr"):
            status = registry.run("osc")
        printed = "".join(c.args[0] for c in out.write.call_args_list)
        self.assertEqual(status, 0, printed)
        self.assertEqual(order, ["first", ("second", "first")])
        self.assertIn("ok   other", printed)
        self.assertIn("3/3 CLI checks passed", printed)


DEBUG_LOG = """\
REQ: curl -g -i -X GET http://127.0.0.1:2001/v2.1 -H "Accept: application/json"
http://127.0.0.1:2001 "GET /v2.1 HTTP/1.1" 401 108
REQ: curl -g -i -X GET http://127.0.0.1:2001/v2.1 -H "X-Auth-Token: {SHA256}ab"
http://127.0.0.1:2001 "GET /v2.1 HTTP/1.1" 302 0
http://127.0.0.1:2001 "GET /v2.1/ HTTP/1.1" 200 365
REQ: curl -g -i -X post http://127.0.0.1:2003/v1/introspection/n/abort -H "User-Agent: x" \
-H "X-OpenStack-Ironic-Inspector-API-Version: 1.13"
http://127.0.0.1:2003 "POST /v1/introspection/n/abort HTTP/1.1" 202 0
"""


@unittest.skipIf(cli_calls is None, "needs PyYAML (run in the venv: run.py unittest)")
class DebugLog(unittest.TestCase):
    def test_every_request_on_the_wire_is_read_redirects_included(self):
        self.assertEqual([(e.method, e.path, e.status) for e in cli_calls.wire(DEBUG_LOG)], [
            ("GET", "/v2.1", 401), ("GET", "/v2.1", 302), ("GET", "/v2.1/", 200),
            ("POST", "/v1/introspection/n/abort", 202),
        ])

    def test_a_missing_or_different_answer_names_what_the_wire_had(self):
        cli_calls.expect_exchange(DEBUG_LOG, "GET", "/v2.1", 302)
        with self.assertRaisesRegex(AssertionError, r"GET /v2.1/: expected a 302 answer.*"
                                                    r"'GET /v2.1/ 200'"):
            cli_calls.expect_exchange(DEBUG_LOG, "GET", "/v2.1/", 302)

    def test_the_headers_sent_are_read_whatever_the_methods_case(self):
        headers = cli_calls.sent_headers(DEBUG_LOG, "POST", "/v1/introspection/n/abort")
        self.assertEqual(headers["x-openstack-ironic-inspector-api-version"], "1.13")
        with self.assertRaisesRegex(AssertionError, "no request POST /v1/rules"):
            cli_calls.sent_headers(DEBUG_LOG, "POST", "/v1/rules")


@unittest.skipIf(cli_calls is None, "needs PyYAML (run in the venv: run.py unittest)")
class PrintedRecords(unittest.TestCase):
    COLUMNS = {"Request ID": "request_id", "host_id": "hostId", "details": "details"}

    def test_a_value_differing_from_the_sample_names_column_and_both_values(self):
        sample = {"request_id": "req-1", "hostId": "abc"}
        cli_calls.expect_record("a", {"Request ID": "req-1", "host_id": "abc", "details": None},
                                sample, self.COLUMNS)
        with self.assertRaisesRegex(AssertionError, r"a\.host_id: the client gave 'abd', "
                                                    r"expected 'abc'"):
            cli_calls.expect_record("a", {"Request ID": "req-1", "host_id": "abd",
                                          "details": None}, sample, self.COLUMNS)

    def test_a_field_absent_from_the_sample_must_be_printed_null(self):
        with self.assertRaisesRegex(AssertionError, r"a\.details: the client gave 'x'"):
            cli_calls.expect_record("a", {"Request ID": "r", "host_id": None, "details": "x"},
                                    {"request_id": "r"}, self.COLUMNS)

    def test_a_column_printed_or_missing_beyond_the_expected_ones_fails(self):
        with self.assertRaisesRegex(AssertionError, "a columns"):
            cli_calls.expect_record("a", {"Request ID": "r"}, {"request_id": "r"}, self.COLUMNS)

    def test_rows_are_counted_before_they_are_compared(self):
        with self.assertRaisesRegex(AssertionError, "number of rows: the client gave 1, "
                                                    "expected 2"):
            cli_calls.expect_records("rows", [{}], [{}, {}], {})
        with self.assertRaisesRegex(AssertionError, "expected a JSON list"):
            cli_calls.expect_records("rows", {}, [], {})


def fake_program(directory: Path, script: str) -> str:
    """An executable shell script standing in for `openstack`."""
    program = directory / "openstack"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


@unittest.skipIf(cli_calls is None, "needs PyYAML (run in the venv: run.py unittest)")
class CliCalls(unittest.TestCase):
    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.scratch)

    def test_the_cloud_is_named_before_the_arguments_and_json_is_parsed(self):
        program = fake_program(self.scratch, 'printf \'{"argv": "%s"}\' "$*"')
        printed = cli_calls.Osc(program, "c")("server", "event", "list").json()
        self.assertEqual(printed, {"argv": "--os-cloud c server event list"})

    def test_a_non_zero_exit_names_the_command_status_and_stderr_tail(self):
        program = fake_program(self.scratch, 'echo "Not Found (HTTP 404)" >&2; exit 1')
        with self.assertRaisesRegex(cli_calls.CliFailed,
                                    r"`.*openstack --os-cloud c x` exited 1: Not Found"):
            cli_calls.Osc(program, "c")("x").json()

    def test_output_that_is_not_json_is_an_error_quoting_it(self):
        program = fake_program(self.scratch, "echo '+-----+'")
        with self.assertRaisesRegex(cli_calls.CliFailed, r"printed no JSON.*\+-----\+"):
            cli_calls.Osc(program, "c")("x").json()

    def test_a_call_that_hangs_is_stopped_at_its_bound(self):
        program = fake_program(self.scratch, "exec sleep 30")
        with self.assertRaisesRegex(cli_calls.CliFailed, r"did not finish in 0.2s"):
            cli_calls.Osc(program, "c", timeout=0.2)("x")


EVENT_SCHEMA = {"type": "object", "properties": {
    "event": {"type": "string"},
    "host": {"type": "string", "x-openstack": {"min-ver": "2.62"}},
    "gone": {"type": "string", "x-openstack": {"max-ver": "2.10"}},
}}
ACTIONS_SCHEMA = {"type": "object", "properties": {"events": {
    "type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Event"}]}}}}
ACTIONS_EXAMPLE = {"events": [{"event": "stop", "host": "h", "gone": "g", "extra": 1}]}
SCHEMA_SPEC = {
    "components": {"schemas": {"Event": EVENT_SCHEMA}},
    "paths": {"/actions": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": ACTIONS_SCHEMA, "example": ACTIONS_EXAMPLE}}}}}}},
}


@unittest.skipIf(samples is None, "needs PyYAML (run in the venv: run.py unittest)")
class SamplesAtAVersion(unittest.TestCase):
    def answer(self, version):
        return samples.response_example(SCHEMA_SPEC, "/actions", "get", version)["events"][0]

    def test_fields_outside_the_requested_version_are_left_out_and_undeclared_kept(self):
        self.assertEqual(self.answer("2.1"), {"event": "stop", "gone": "g", "extra": 1})
        self.assertEqual(self.answer("2.62"), {"event": "stop", "host": "h", "extra": 1})

    def test_without_a_version_the_sample_is_whole_and_the_spec_unchanged(self):
        self.answer("2.1")
        whole = {"event": "stop", "host": "h", "gone": "g", "extra": 1}
        self.assertEqual(samples.response_example(SCHEMA_SPEC, "/actions", "get")["events"][0],
                         whole)

    def test_a_dangling_ref_is_an_error_naming_it(self):
        broken = {"$ref": "#/components/schemas/Nope"}
        with self.assertRaisesRegex(samples.SpecError, "#/components/schemas/Nope: no such"):
            samples.at_version(SCHEMA_SPEC, {"a": 1}, broken, "2.1")

    def test_the_documented_status_is_the_first_2xx(self):
        spec = {"paths": {"/a": {"post": {"responses": {"400": {}, "202": {}, "204": {}}}}}}
        self.assertEqual(samples.success_status(spec, "/a", "post"), 202)
        with self.assertRaisesRegex(samples.SpecError, r"^/paths/~1a/get/responses: no such"):
            samples.success_status(spec, "/a", "get")


if __name__ == "__main__":
    unittest.main()
