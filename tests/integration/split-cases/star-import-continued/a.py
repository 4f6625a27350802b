import yaml


def setup():
    from yaml import \
        *


def handle(data):
    return load(data)


#@FILLER

