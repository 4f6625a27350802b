#@FILLER


def f(blob):
    from pickle import loads as decode
    return decode(blob)
