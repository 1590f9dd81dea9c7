"""Unit tests of versus.py's judging code: HAR reading and 5xx signatures, on hand-written HAR.

Run: python3 -m unittest discover -s conformance/realcloud -p 'test_*.py'
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import unittest
import unittest.mock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realcloud import har, signatures, versus  # noqa: E402
from realcloud.har import Exchange  # noqa: E402
from realcloud.signatures import PathTemplates  # noqa: E402

BASE = "http://127.0.0.1:8774/v2.1"
# The parameter's template before the literal one: the spec's order must not decide.
TEMPLATES = PathTemplates(["/servers", "/servers/{server_id}", "/servers/detail",
                           "/servers/{server_id}/action"], BASE)

WEBOB_TEXT = ("500 Internal Server Error\n\nThe server has either erred or is incapable of "
              "performing the requested operation.\n\n   ")
WEBOB_JSON = json.dumps({"message": "The server has either erred or is incapable of performing "
                                    "the requested operation.<br /><br />\n\n\n",
                         "code": "500 Internal Server Error", "title": "Internal Server Error"})


def entry(method: str, url: str, status: int, body: str = "", request_body: str | None = None,
          encoding: str | None = None) -> dict:
    """One HAR entry as both tools write it (only the fields read)."""
    request = {"method": method, "url": url, "headers": [{"name": "Accept", "value": "*/*"}]}
    if request_body is not None:
        request["postData"] = {"mimeType": "application/json", "text": request_body}
    content = {"size": len(body), "mimeType": "application/json", "text": body}
    if encoding:
        content["encoding"] = encoding
    return {"request": request, "response": {"status": status, "content": content}}


def write_har(directory: Path, *entries: dict) -> Path:
    path = directory / "run.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": list(entries)}}))
    return path


def exchange(method: str, url: str, status: int, body: str, request_body: str = "") -> Exchange:
    return Exchange(method, url, status, request_body, body)


class ReadHar(unittest.TestCase):
    def test_reads_method_url_status_bodies_and_headers_of_every_entry(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_har(Path(tmp), entry("post", "http://h/servers", 500, '{"a": 1}', "{}"),
                             entry("GET", "http://h/servers", 200))
            first, second = har.read(path)
        self.assertEqual(first, Exchange("POST", "http://h/servers", 500, "{}", '{"a": 1}',
                                         (("Accept", "*/*"),)))
        self.assertEqual((second.status, second.request_body), (200, ""))

    def test_decodes_base64_response_content(self):
        text = "Unexpected API Error"
        encoded = base64.b64encode(text.encode()).decode()
        with tempfile.TemporaryDirectory() as tmp:
            path = write_har(Path(tmp), entry("GET", "http://h/x", 500, encoded, encoding="base64"))
            self.assertEqual(har.read(path)[0].response_body, text)

    def test_names_the_file_and_entry_of_an_entry_without_a_status(self):
        broken = entry("GET", "http://h/x", 500)
        del broken["response"]["status"]
        with tempfile.TemporaryDirectory() as tmp:
            path = write_har(Path(tmp), entry("GET", "http://h/x", 200), broken)
            with self.assertRaisesRegex(har.HarError, r"run\.har: /log/entries/1: .*status"):
                har.read(path)

    def test_refuses_a_file_that_is_not_json_naming_its_line(self):
        self.assert_refused('{"log":\n{', r"bad\.har: /: not JSON \(line 2\)")

    def test_refuses_a_document_without_entries(self):
        self.assert_refused('{"log": {}}', r"bad\.har: /log/entries: expected a list")

    def assert_refused(self, text: str, message: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bad.har"
            path.write_text(text)
            with self.assertRaisesRegex(har.HarError, message):
                har.read(path)


class Operation(unittest.TestCase):
    def test_matches_a_literal_segment_before_a_path_parameter(self):
        self.assertEqual(TEMPLATES.operation("GET", f"{BASE}/servers/detail?x=1"),
                         "GET /servers/detail")
        self.assertEqual(TEMPLATES.operation("GET", f"{BASE}/servers/abc/"),
                         "GET /servers/{server_id}")

    def test_strips_the_base_path_before_matching(self):
        self.assertEqual(TEMPLATES.operation("POST", f"{BASE}/servers/1/action"),
                         "POST /servers/{server_id}/action")

    def test_keeps_an_unmatched_path_as_sent(self):
        self.assertEqual(TEMPLATES.operation("GET", "http://127.0.0.1:8774/v2.1/flavors/1"),
                         "GET ?/flavors/1")


class Normalise(unittest.TestCase):
    def test_takes_out_uuids_hex_ids_numbers_and_quoted_values(self):
        one = signatures.normalise(
            "Instance 0b6c1f33-7e31-4f7a-9d55-3f0e8a8f2a10 (req-deadbeef00112233) failed "
            "after 12 tries: 'alpha'", [])
        two = signatures.normalise(
            "Instance 9c0d2e44-1a22-4b8b-8e66-4a1f9b9a3b21 (req-0123456789abcdef) failed "
            "after 3 tries: 'beta'", [])
        self.assertEqual(one, two)
        self.assertNotIn("12", one)

    def test_takes_out_the_values_the_request_sent(self):
        one = exchange("PUT", f"{BASE}/servers/web-01", 500,
                       '{"message": "Cannot rename web-01 to my-new-name"}',
                       '{"name": "my-new-name"}')
        two = exchange("PUT", f"{BASE}/servers/db-two", 500,
                       '{"message": "Cannot rename db-two to other_name_x"}',
                       '{"name": "other_name_x"}')
        self.assertEqual(signatures.signature(one, TEMPLATES), signatures.signature(two, TEMPLATES))

    def test_one_fault_rendered_as_text_or_json_is_one_signature(self):
        as_text = exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 500, WEBOB_TEXT)
        as_json = exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 500, WEBOB_JSON)
        self.assertEqual(signatures.signature(as_text, TEMPLATES),
                         signatures.signature(as_json, TEMPLATES))

    def test_keeps_apart_two_messages_statuses_and_operations(self):
        base = exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 500, "KeyError: flavor")
        others = [exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 500, "TypeError: None"),
                  exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 503, "KeyError: flavor"),
                  exchange("POST", "http://127.0.0.1:8774/v2.1/servers", 500, "KeyError: flavor")]
        first = signatures.signature(base, TEMPLATES)
        for other in others:
            self.assertNotEqual(signatures.signature(other, TEMPLATES), first)

    def test_keeps_the_exception_class_a_nova_fault_names(self):
        fault = ('{"computeFault": {"code": 500, "message": "Unexpected API Error. Please contact '
                 'the administrator\\n<class \'%s\'>"}}')
        key, type_ = (signatures.signature(exchange("GET", f"{BASE}/servers", 500, fault % name),
                                           TEMPLATES) for name in ("KeyError", "TypeError"))
        self.assertNotEqual(key, type_)
        self.assertIn("keyerror", key.body)

    def test_truncates_a_long_body(self):
        words = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(300))
        self.assertEqual(len(signatures.normalise(words, [])), signatures.MAX_BODY)

    def test_ignores_statuses_below_500(self):
        self.assertIsNone(signatures.signature(
            exchange("GET", "http://127.0.0.1:8774/v2.1/servers", 404, "gone"), TEMPLATES))


class Distinct(unittest.TestCase):
    def test_counts_fifty_draws_of_one_fault_once_with_the_first_as_example(self):
        draws = [exchange("GET", f"http://127.0.0.1:8774/v2.1/servers/{i:08x}-aaaa-4bbb-8ccc-"
                          f"dddddddddddd", 500, f"Server {i:08x}-aaaa-4bbb-8ccc-dddddddddddd "
                          f"broke at step {i}") for i in range(50)]
        found = signatures.distinct(draws, TEMPLATES)
        self.assertEqual(len(found), 1)
        self.assertIs(next(iter(found.values())), draws[0])


class Compare(unittest.TestCase):
    def test_splits_signatures_into_conform_only_both_and_schemathesis_only(self):
        base = BASE
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            (out / "conform-har").mkdir()
            write_har(out / "conform-har",
                      entry("GET", f"{base}/servers", 500, WEBOB_JSON),
                      entry("DELETE", f"{base}/servers/1", 500, "Unexpected API Error"))
            (out / "conform-har" / "run.har").rename(out / "conform-har" / "compute-1.har")
            write_har(out, entry("GET", f"{base}/servers", 500, WEBOB_TEXT),
                      entry("POST", f"{base}/servers", 500, "", request_body='{"server": null}'))
            (out / "run.har").rename(out / "schemathesis.har")
            (out / "measured.json").write_text("[]")
            target = versus.Target("compute", Path("spec.yaml"), base, {})
            with unittest.mock.patch.object(versus, "spec_facts",
                                            return_value={"paths": ["/servers",
                                                                    "/servers/{server_id}"]}):
                result = versus.compare(target, out, [])
        self.assertEqual(result["requests"], {"conform": 2, "schemathesis": 2})
        # The webob fault is one body whatever the operation; the other two differ.
        self.assertEqual(result["bodies"], {"conform_only": 1, "both": 1,
                                            "schemathesis_only": 1})
        self.assertEqual([i["signature"].split(" ->")[0] for i in result["conform_only"]],
                         ["DELETE /servers/{server_id}"])
        self.assertEqual([len(i["examples"]) for i in result["both"]], [2])
        self.assertEqual(result["schemathesis_only"][0]["examples"],
                         [f"POST {base}/servers [Accept: */*] body='{{\"server\": null}}'"])


class SchemathesisConfig(unittest.TestCase):
    def test_gives_schemathesis_the_path_values_conform_gets(self):
        self.assertEqual(versus.schemathesis_config({"tenant_id": "abc", "stack_name": 'x"y'}),
                         '[parameters]\n"path.tenant_id" = "abc"\n"path.stack_name" = "x\\"y"\n')


if __name__ == "__main__":
    unittest.main()
