import pickle
import sys

NAME = "loads"
PROSE = "nothing here loads anything"


#@FILLER


def f():
    return getattr(pickle, NAME)(sys.stdin.buffer.read())
