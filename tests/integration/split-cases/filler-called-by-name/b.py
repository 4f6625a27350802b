import sys

import torch

from a import fetch


def main():
    return torch.load(fetch(sys.argv[1], "/tmp/model.pt"))
