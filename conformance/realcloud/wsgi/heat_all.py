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
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from heat.api.openstack import wsgi as api_wsgi  # noqa: E402
from heat.engine import service as engine  # noqa: E402
from heat.rpc import api as rpc_api  # noqa: E402


# The engine's threads (convergence workers, snapshots, deletes) and the API's write to one
# sqlite file. A deferred transaction that read first and then writes while another holds the
# write lock gets `database is locked` at once (sqlite does not wait, to avoid a deadlock), and
# heat leaves a snapshot IN_PROGRESS or a stack *_FAILED. Each transaction takes the write lock
# when it begins (BEGIN IMMEDIATE, before oslo.db's own listener would emit a plain BEGIN; the
# class's listeners run before the engine's; the `in_transaction` marker is oslo.db's, which
# its commit and rollback listeners clear) and waits up to 30 s for it.
@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA busy_timeout = 30000")


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite" and "in_transaction" not in connection.info:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.info["in_transaction"] = True


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
