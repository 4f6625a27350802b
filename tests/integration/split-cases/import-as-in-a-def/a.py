import sys


#@FILLER


def f():
    from pickle import loads as decode
    return decode(sys.stdin.buffer.read())
