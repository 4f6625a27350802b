"""torch.load and the hub loaders: weights_only=True added or turned on (LL201)."""
import functools

import torch
import torch as th
from torch import load as torch_load
from torch.hub import load_state_dict_from_url


def restore(model, path):
    # a state dict: the safe fix
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))


def restore_hub(model, url):
    model.load_state_dict(load_state_dict_from_url(url, progress=False, weights_only=True))


def load_any(path):
    # the whole checkpoint: an unsafe fix
    return torch.load(path, weights_only=True)


def load_alias(path):
    return th.load(path, map_location="cpu", weights_only=True)


def load_from_import(path):
    return torch_load(path, weights_only=True)


def load_explicit_off(path):
    return torch.load(path, weights_only=True)


def load_none(path):
    return torch.load(path, weights_only=True)


def load_multiline(path, device):
    return torch.load(
        path,
        map_location=device,
        weights_only=True,
    )


def load_multiline_comment(path, device):
    return torch.load(
        path,  # where the checkpoint is
        # the device to map tensors to
        map_location=device,  # cpu or cuda
        weights_only=True,
    )


def load_hanging(path, device):
    return torch.load(path,
                      map_location=device, weights_only=True)


def no_fix_kwargs(path, **kwargs):
    return torch.load(path, **kwargs)


def no_fix_args(*args):
    return torch.load(*args)


def no_fix_variable(path, trusted):
    return torch.load(path, weights_only=trusted)


def no_fix_pickle_module(path):
    import dill

    return torch.load(path, pickle_module=dill)


def no_fix_reference(paths):
    return list(map(torch.load, paths))


def no_fix_partial(path):
    return functools.partial(torch.load, path)
