import pickle


#@FILLER


def g(d):
    return f"\{d["""
'''"""]}"


import yaml


def h(x):
    return yaml.load(x)

# '''
