import torch
import torch.distributed
import torch.distributed as dist
from torch.distributed import all_gather_object, broadcast_object_list
from torch.distributed import gather_object as gather_objects
from torch.distributed.distributed_c10d import scatter_object_list as c10d_scatter

try:
    from torch.distributed import recv_object_list

    HAS_P2P_OBJECTS = True
except ImportError:
    HAS_P2P_OBJECTS = False


def sync_config(config, rank):
    objects = [config if rank == 0 else None]
    # expect: LL205
    dist.broadcast_object_list(objects, src=0)
    return objects[0]


def sync_imported(objects):
    # expect: LL205
    broadcast_object_list(objects, src=0)
    return objects


def collect_metrics(metrics, world_size):
    gathered = [None] * world_size
    # expect: LL205
    all_gather_object(gathered, metrics)
    return gathered


def gather_on_root(result, rank, world_size):
    output = [None] * world_size if rank == 0 else None
    # expect: LL205
    gather_objects(result, output, dst=0)
    return output


def scatter_work(chunks, rank):
    received = [None]
    # expect: LL205
    torch.distributed.scatter_object_list(received, chunks if rank == 0 else None, src=0)
    # expect: LL205
    c10d_scatter(received, chunks if rank == 0 else None, src=0)
    return received[0]


def receive(objects):
    # expect: LL205
    dist.recv_object_list(objects, src=1)
    if HAS_P2P_OBJECTS:
        # expect: LL205
        recv_object_list(objects, src=1)
    return objects


def simple_alias(objects):
    share = dist.broadcast_object_list
    # expect: LL205
    share(objects, src=0)


def multi_line(objects, group):
    # expect: LL205
    dist.broadcast_object_list(
        objects,
        src=0,
        group=group,
    )


def send_side(objects):
    # ok: LL205
    dist.send_object_list(objects, dst=1)


def tensor_collectives(tensor, tensors):
    # ok: LL205
    dist.broadcast(tensor, src=0)
    # ok: LL205
    dist.all_gather(tensors, tensor)


def shadowed(dist, objects):
    # ok: LL205
    dist.broadcast_object_list(objects, src=0)
