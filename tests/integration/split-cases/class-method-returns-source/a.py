import sys

import torch


class Runner:
    def get_path(self):
        return sys.argv[1]

    #@METHODS

    def load(self):
        return torch.load(self.get_path())
