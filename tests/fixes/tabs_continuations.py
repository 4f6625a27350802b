"""Tabs and backslash continuations (LL201, LL110)."""
import numpy as np
import torch


def restore(model, path):
	if path:
		model.load_state_dict(torch.load(
			path,
			map_location="cpu",
		))


def load_continued(path):
	state = \
		torch.load(path, \
			map_location="cpu")
	return state


def embeddings(path):
	return np.load(path, \
		allow_pickle=True)
