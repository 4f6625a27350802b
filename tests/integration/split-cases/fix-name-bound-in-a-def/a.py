from yaml import full_load


def g(s):
    return full_load(s)


#@FILLER


def h(x):
    safe_load = x + 1
    return safe_load
