# -*- coding: latin-1 -*-
"""A latin-1 file: written back in latin-1 (café, naïve) (LL201, LL501)."""
import torch
import yaml


def lire(chemin):  # été
    return torch.load(chemin)


def config(flux):
    return yaml.load(flux)
