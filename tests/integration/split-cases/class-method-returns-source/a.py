import sys

import torch


class Runner:
    def argument(self):
        return sys.argv[1]

    #@METHODS

    def model_path(self):
        return self.argument()

    def load(self):
        return torch.load(self.model_path())
