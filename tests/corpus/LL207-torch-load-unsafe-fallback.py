"""The weights_only=True -> except -> weights_only=False fallback (Stanza
1.12.0): the except-branch load is LL207's (not LL201's: one finding per
call), with the safe load as its related location."""
import logging
import pickle

import torch
from torch.serialization import load as serialization_load


def stanza_style(path):
    try:
        # ok: LL207, LL201
        return torch.load(path, lambda storage, loc: storage, weights_only=True)
    except pickle.UnpicklingError:
        # expect: LL207:error
        return torch.load(path, lambda storage, loc: storage, weights_only=False)


def bare_except_and_alias(path):
    try:
        # ok: LL207, LL201
        state = serialization_load(path, weights_only=True)
    except Exception:
        logging.warning("retrying without weights_only")
        if path.endswith(".pt"):
            # expect: LL207
            state = serialization_load(path)
    return state


def from_variable(path, trusted):
    try:
        # ok: LL207, LL201
        return torch.load(path, weights_only=True)
    except (RuntimeError, pickle.UnpicklingError):
        # expect: LL207
        return torch.load(path, weights_only=trusted)


def safe_retry(path):
    try:
        # ok: LL207, LL201
        return torch.load(path, weights_only=True)
    except RuntimeError:
        # the retry is safe too
        # ok: LL207, LL201
        return torch.load(path, map_location="cpu", weights_only=True)


def unsafe_first(path):
    try:
        # the try's load is not the safe one: no fallback, LL201's
        # expect: LL201
        return torch.load(path, weights_only=False)
    except RuntimeError:
        # ok: LL207
        # expect: LL201
        return torch.load(path, weights_only=False)


def nested_function(path):
    try:
        # ok: LL207, LL201
        return torch.load(path, weights_only=True)
    except RuntimeError:
        def later():
            # another function's load: LL201's, not a fallback of this try
            # ok: LL207
            # expect: LL201
            return torch.load(path, weights_only=False)
        return later


def in_else_and_finally(path):
    try:
        # ok: LL207, LL201
        data = torch.load(path, weights_only=True)
    except RuntimeError:
        data = None
    else:
        # not the except clause
        # ok: LL207
        # expect: LL201
        data = torch.load(path, weights_only=False)
    return data
