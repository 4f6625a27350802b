import os


def compat():
    from pickle import *
    return 1


#@FILLER


def use(d):
    return loads(d)
