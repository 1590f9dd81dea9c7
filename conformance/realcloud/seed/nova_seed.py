"""Seed Nova's databases with a server, its mapping and its instance actions.

Runs inside the nova venv (``python nova_seed.py CONFIG_FILE PROJECT USER``).
There is no scheduler or compute service in the local cloud, so the records a
boot would leave behind are written with nova's own versioned objects. Prints
the ids as JSON on stdout.
"""

import json
import sys
import uuid

from nova import config, context, objects
from nova.network import model as network_model

HOST = "stackspec-compute"
# A well-formed ssh-ed25519 key (nova stores it as given) and its MD5 fingerprint.
PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMFVXNHO5rlMd0uVwdvVGt5ykFIYOoEJw6LsUwHQ"
              "riZK stackspec")
FINGERPRINT = "bc:a2:f4:7f:2f:ba:70:9a:d6:c0:cf:1e:6a:fa:f2:98"


def main(config_file: str, project_id: str, user_id: str) -> None:
    config.parse_args(["nova-seed", "--config-file", config_file])
    objects.register_all()
    admin = context.get_admin_context()
    cell = next(c for c in objects.CellMappingList.get_all(admin) if c.name == "cell1")
    hosted = create_server(cell, project_id, user_id, "stackspec-seed", HOST)
    unhosted = create_server(cell, project_id, user_id, "stackspec-unhosted", None)
    actions = [
        record_action(cell, project_id, user_id, hosted, "create",
                      [("compute__do_build_and_run_instance", None)]),
        record_action(cell, project_id, user_id, hosted, "stop",
                      [("compute_stop_instance", ValueError("seeded failure"))]),
    ]
    # The whole-API run works on the server without a host: nova answers 409 to what
    # would need its compute service (which the local cloud lacks) instead of waiting
    # for an RPC reply that never comes.
    unhosted_action = record_action(cell, project_id, user_id, unhosted, "create", [])
    print(json.dumps({"server_id": hosted, "unhosted_server_id": unhosted,
                      "request_ids": actions, "unhosted_request_id": unhosted_action,
                      "host": HOST, **seed_resources(cell, project_id, user_id, unhosted)}))


def seed_resources(cell, project_id: str, user_id: str, server_id: str) -> dict:
    """What the whole-API run's paths name besides servers: a flavor with an extra spec,
    a keypair, an aggregate, a server group, and a tag and a metadata item on the server."""
    ctx = context.RequestContext(user_id=user_id, project_id=project_id, is_admin=True)
    flavor = objects.Flavor(context=ctx, name="stackspec-flavor", memory_mb=512, vcpus=1,
                            root_gb=1, ephemeral_gb=0, swap=0, flavorid="stackspec-flavor",
                            extra_specs={"hw:numa_nodes": "1"})
    flavor.create()
    objects.KeyPair(context=ctx, name="stackspec-keypair", user_id=user_id, type="ssh",
                    public_key=PUBLIC_KEY, fingerprint=FINGERPRINT).create()
    aggregate = objects.Aggregate(context=ctx, name="stackspec-aggregate")
    aggregate.create()
    group = objects.InstanceGroup(context=ctx, name="stackspec-group", policy="affinity",
                                  project_id=project_id, user_id=user_id)
    group.create()
    with context.target_cell(ctx, cell) as cell_ctx:
        objects.Tag(context=cell_ctx, resource_id=server_id, tag="stackspec").create()
        instance = objects.Instance.get_by_uuid(cell_ctx, server_id)
        instance.metadata = {"foo": "seed"}
        instance.save()
    return {"flavor_id": flavor.flavorid, "flavor_extra_spec_key": "hw:numa_nodes",
            "keypair_name": "stackspec-keypair", "aggregate_id": aggregate.id,
            "server_group_id": group.uuid, "tag": "stackspec", "metadata_key": "foo"}


def create_server(cell, project_id: str, user_id: str, name: str, host) -> str:
    server_id = str(uuid.uuid4())
    ctx = context.RequestContext(user_id=user_id, project_id=project_id, is_admin=True)
    with context.target_cell(ctx, cell) as cell_ctx:
        instance = objects.Instance(
            context=cell_ctx, uuid=server_id, project_id=project_id, user_id=user_id,
            display_name=name, host=host, vm_state="active",
            power_state=1, flavor=seed_flavor(), system_metadata={},
            image_ref="", root_gb=1, ephemeral_gb=0, memory_mb=512, vcpus=1,
            # A booted server has a network cache (an empty list without ports); without
            # one, every read that lists addresses fails with a TypeError.
            info_cache=objects.InstanceInfoCache(network_info=network_model.NetworkInfo()),
        )
        instance.create()
    objects.InstanceMapping(
        context=ctx, instance_uuid=server_id, cell_mapping=cell,
        project_id=project_id, user_id=user_id, queued_for_delete=False,
    ).create()
    return server_id


def seed_flavor():
    """The flavor a boot copies into the instance; reads at 2.47+ embed it."""
    return objects.Flavor(
        flavorid="stackspec-seed", name="stackspec-seed", memory_mb=512, vcpus=1,
        root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0, vcpu_weight=0,
        disabled=False, is_public=True, extra_specs={}, description=None,
    )


def record_action(cell, project_id, user_id, server_id, action, events) -> str:
    """One action with its events; an event with an exception finishes as failed."""
    ctx = context.RequestContext(user_id=user_id, project_id=project_id, is_admin=True)
    with context.target_cell(ctx, cell) as cell_ctx:
        objects.InstanceAction.action_start(cell_ctx, server_id, action)
        for event, failure in events:
            objects.InstanceActionEvent.event_start(cell_ctx, server_id, event, host=HOST)
            if failure is None:
                objects.InstanceActionEvent.event_finish(cell_ctx, server_id, event)
            else:
                try:
                    raise failure
                except ValueError as error:
                    objects.InstanceActionEvent.event_finish_with_failure(
                        cell_ctx, server_id, event, exc_val=error,
                        exc_tb=sys.exc_info()[2])
        objects.InstanceAction.action_finish(cell_ctx, server_id)
    return ctx.request_id


if __name__ == "__main__":
    main(*sys.argv[1:4])
