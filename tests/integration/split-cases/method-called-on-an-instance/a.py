import sys

import torch


class Accessor:
    def __init__(self, repo):
        self.repo = repo

    #@METHODS

    def fetch(self, name):
        return "/srv/models/" + name


class Downloader:
    def __init__(self, repo):
        self.repo = repo

    #@METHODS

    def fetch(self, name):
        return sys.argv[2] + name


#@FILLER


def constant_path():
    accessor = Accessor(sys.argv[1])
    return torch.load(accessor.fetch("model.pt"))


def downloaded_path():
    return torch.load(Downloader("r").fetch("model.pt"))
