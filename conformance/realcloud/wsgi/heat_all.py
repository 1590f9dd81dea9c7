"""Heat's engine and API in one process (``python heat_all.py HOST PORT CONFIG_FILE``).

With ``transport_url = fake://`` RPC only reaches listeners in the same
process, and Heat 27 has no ``heat-all`` command any more, so this starts the
engine service in-process and serves the API app with a threaded wsgiref
server. The API app is initialised first: it parses the config and sets up the
messaging transport that the engine then reuses.
"""

import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer, make_server

host, port, config_file = sys.argv[1:4]
sys.argv = ["heat-all", "--config-file", config_file]

from oslo_service import backend  # noqa: E402

backend.init_backend(backend.BackendType.THREADING)

from oslo_config import cfg  # noqa: E402

from heat.api.openstack import wsgi as api_wsgi  # noqa: E402
from heat.engine import service as engine  # noqa: E402
from heat.rpc import api as rpc_api  # noqa: E402


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    application = api_wsgi.init_application()
    # Not oslo.service's launcher: its threading backend forks the engine into a
    # worker process, where the fake transport no longer reaches the API.
    engine.EngineService(cfg.CONF.host, rpc_api.ENGINE_TOPIC).start()
    httpd = make_server(host, int(port), application, server_class=ThreadingWSGIServer)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
