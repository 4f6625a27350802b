import sys
from urllib.request import urlretrieve

import torch


#@FILLER


def fetch(url, dest):
    urlretrieve(url, dest)
    return dest


def main():
    return torch.load(fetch(sys.argv[1], "/tmp/model.pt"))
